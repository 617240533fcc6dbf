from dataclasses import asdict

from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from directory import api_members
from directory.filters import EnterpriseFilterSet
from directory.models import Enterprise
from directory.profile import with_profile_relations
from directory.serializers import (
    EnterpriseDetailSerializer,
    EnterpriseSearchSerializer,
    EnterpriseSerializer,
    RejectionSerializer,
    listing_representation,
    listing_rows,
)
from directory.services import reject_enterprise, verify_enterprise
from portal.accounts.roles import roles_for

COORDINATOR_ACTIONS = ("create", "verify", "reject")


class EnterprisePermission(BasePermission):
    """Everyone reads what they may see; coordinators create, verify and reject; an
    enterprise's approved representatives and coordinators update it."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        roles = roles_for(request.user)
        if view.action in COORDINATOR_ACTIONS:
            return roles.coordinator
        return roles.coordinator or roles.is_representative

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        roles = roles_for(request.user)
        if view.action in COORDINATOR_ACTIONS:
            return roles.coordinator
        return roles.coordinator or obj.pk in roles.enterprise_ids


@extend_schema_view(
    list=extend_schema(
        summary="Search the directory",
        description=(
            "Verified, published social-economy enterprises (coordinators see every "
            "enterprise, representatives their own too). `search` is French full-text search "
            "that ignores accents, case and plurals and tolerates a typo; every filter takes "
            "several values (repeat the parameter). The response carries the facet counts of "
            "each filter."
        ),
        responses={
            200: EnterpriseSearchSerializer,
            400: OpenApiResponse(description="An unknown filter value, with the reason."),
        },
    ),
    retrieve=extend_schema(summary="One enterprise"),
    create=extend_schema(summary="Add an enterprise (coordinators)"),
    update=extend_schema(summary="Change an enterprise (coordinators and its representatives)"),
    partial_update=extend_schema(
        summary="Change some fields of an enterprise (coordinators and its representatives)",
        description=(
            "Changing the name, NEQ or legal form of a verified enterprise sends it back to "
            "verification."
        ),
    ),
)
class EnterpriseViewSet(viewsets.ModelViewSet):
    """Social-economy enterprises of the directory."""

    queryset = Enterprise.objects.none()  # see get_queryset: it depends on who asks
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    permission_classes = [EnterprisePermission]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return with_profile_relations(Enterprise.objects.visible_to(self.request.user))

    def get_serializer_class(self):
        return EnterpriseSerializer if self.action == "list" else EnterpriseDetailSerializer

    def filter_queryset(self, queryset):
        return queryset  # the list filters through its FilterSet itself, to count facets

    def list(self, request, *args, **kwargs):
        queryset = Enterprise.objects.visible_to(request.user)
        filterset = EnterpriseFilterSet(request.query_params, queryset, request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        facets = filterset.facets()  # counts the results too
        # A page is read as rows and represented as `EnterpriseSerializer` would (faster).
        page = self.paginate_queryset(filterset.results(listing_rows))
        response = self.get_paginated_response(listing_representation(page, request))
        response.data["facets"] = {
            name: [asdict(value) for value in values] for name, values in facets.items()
        }
        response.data["corrections"] = [
            asdict(correction) for correction in filterset.parsed_search.corrections
        ]
        return response

    @extend_schema(
        summary="Verify an enterprise as a social-economy enterprise (coordinators)",
        request=None,
        responses={200: EnterpriseDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        enterprise = self.get_object()
        self._decide(lambda: verify_enterprise(enterprise=enterprise, by=request.user))
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Reject an enterprise's social-economy status, with a reason (coordinators)",
        request=RejectionSerializer,
        responses={200: EnterpriseDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        enterprise = self.get_object()
        decision = RejectionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        reason = decision.validated_data["reason"]
        self._decide(
            lambda: reject_enterprise(enterprise=enterprise, by=request.user, reason=reason)
        )
        return Response(self.get_serializer(self.get_object()).data)

    @staticmethod
    def _decide(decision) -> None:
        try:
            decision()
        except DjangoValidationError as exc:
            detail = serializers.as_serializer_error(exc)
            if list(detail) == ["non_field_errors"]:
                detail = {"status": detail["non_field_errors"]}
            raise serializers.ValidationError(detail) from exc


def register(router) -> None:
    """Add the directory's viewsets to the portal's one router."""
    router.register("enterprises", EnterpriseViewSet, basename="enterprise")
    api_members.register(router)
