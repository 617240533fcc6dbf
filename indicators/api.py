"""`GET /api/indicators/`: every indicator of the catalogue for a scope and a period."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators.cohorts import can_read_cohort
from indicators.report import Scope, get_report
from indicators.serializers import IndicatorQuerySerializer, IndicatorReportSerializer
from portal.accounts.roles import roles_for


class IndicatorReportView(APIView):
    """The dashboards' visibility: an organization's members (buyers, officers, managers) see
    their organization; coordinators see every organization and all of them together. A
    cohort's indicators are for coordinators and the members of its organizations."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="indicators_report",
        summary="Indicators for a scope and a period",
        description=(
            "Every indicator of the catalogue with its value, and for shares its numerator "
            "and denominator. A calendar year, quarter or month is read from the latest "
            "snapshot; any other period is computed live, with identical values. With "
            "`cohort`, the indicators of the cohort's organizations and SEEs, over the "
            "cohort's dates unless `start` and `end` say otherwise."
        ),
        parameters=[IndicatorQuerySerializer],
        responses={
            200: IndicatorReportSerializer,
            400: OpenApiResponse(
                description="Unknown organization or cohort, bad dates or breakdown."
            ),
            403: OpenApiResponse(description="Not signed in, or not allowed to see the scope."),
        },
        tags=["indicators"],
    )
    def get(self, request):
        query = IndicatorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        organization = query.validated_data.get("organization")
        cohort = query.validated_data.get("cohort")
        roles = roles_for(request.user)
        if cohort is not None:
            if not can_read_cohort(request.user, cohort):
                raise PermissionDenied(_("You do not see the indicators of this cohort."))
            scope = Scope.for_cohort(cohort)
        elif organization is None and not roles.coordinator:
            raise PermissionDenied(_("Only coordinators see the indicators of all organizations."))
        elif organization is not None and not roles.can_read(organization.pk):
            raise PermissionDenied(_("You do not see the indicators of this organization."))
        else:
            scope = Scope.of(organization.pk if organization else None)
        report = get_report(
            scope=scope,
            start=query.validated_data["start"],
            end=query.validated_data["end"],
            breakdown=query.validated_data.get("breakdown"),
        )
        context = {"organization": organization, "cohort": cohort}
        return Response(IndicatorReportSerializer(report, context=context).data)


urlpatterns: list = [
    path("indicators/", IndicatorReportView.as_view(), name="indicators-report"),
]
