"""`GET /api/indicators/`: every indicator of the catalogue for a scope and a period.

A snapshot never changes: what the endpoint answers for a standard period (or a cohort's
dates) is fixed by the snapshot, the scope and its name, the dates, the breakdown, the
language and the format, and is kept in the cache under those, as the dashboards keep their
figures (a new snapshot makes new keys). JSON is kept as written: a breakdown of all
organizations by sector is 1 400 parts, which would otherwise be written again each time.
Permissions are checked before.
"""

from django.core.cache import cache
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators.cohorts import can_read_cohort
from indicators.models import Snapshot
from indicators.report import Scope, get_report, standard_period
from indicators.serializers import (
    IndicatorQuerySerializer,
    IndicatorReportSerializer,
    scope_data,
)
from portal.accounts.roles import roles_for

ANSWER_CACHE_SECONDS = 24 * 3600


def answer_key(
    scope: Scope, scope_answer: dict, start, end, breakdown, snapshot: Snapshot, media_type: str
) -> str:
    """The cache key of a snapshot's answer for a scope (and its name as answered), dates,
    breakdown, language and media type."""
    organizations = sorted(scope.organization_ids) if scope.organization_ids is not None else None
    return snapshot.cache_key(
        "api",
        organizations,
        scope.cohort_id,
        scope_answer,
        start,
        end,
        breakdown,
        get_language(),
        media_type,
    )


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
        start, end = query.validated_data["start"], query.validated_data["end"]
        breakdown = query.validated_data.get("breakdown")
        scope_answer = scope_data(organization, cohort)
        media_type = request.accepted_media_type
        snapshot = key = None
        if scope.is_cohort or standard_period(start, end):
            snapshot = Snapshot.objects.latest_complete()
        if snapshot is not None:
            key = answer_key(scope, scope_answer, start, end, breakdown, snapshot, media_type)
            kept = cache.get(key)
            if kept is not None:
                return self.answer(kept, media_type)
        report = get_report(
            scope=scope, start=start, end=end, breakdown=breakdown, snapshot=snapshot
        )
        context = {"organization": organization, "cohort": cohort}
        data = dict(IndicatorReportSerializer(report, context=context).data)  # not the serializer
        if request.accepted_renderer.format == "json":
            data = request.accepted_renderer.render(data, media_type, self.get_renderer_context())
        if key and report.source == "snapshot":
            cache.set(key, data, ANSWER_CACHE_SECONDS)
        return self.answer(data, media_type)

    @staticmethod
    def answer(data, media_type: str):
        """JSON as written already, or the data for another renderer (the browsable API)."""
        if isinstance(data, bytes):
            return HttpResponse(data, content_type=media_type)
        return Response(data)


urlpatterns: list = [
    path("indicators/", IndicatorReportView.as_view(), name="indicators-report"),
]
