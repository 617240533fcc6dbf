"""Initiatives API: read for organizations' staff and coordinators, write for coordinators.

A service's refusal (a Django ValidationError) answers 400 with its translated messages
through the portal's exception handler (portal.api_errors), as on every other endpoint.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from portal.accounts.roles import roles_for
from portal.initiatives import services
from portal.initiatives.filters import CohortFilterSet, InitiativeFilterSet
from portal.initiatives.models import Cohort, CohortOrganization, Initiative
from portal.initiatives.serializers import (
    CohortOrganizationSerializer,
    CohortSerializer,
    InitiativeSerializer,
)


class StaffReadCoordinatorWrite(BasePermission):
    """Organizations' staff and coordinators read; only coordinators write."""

    def has_permission(self, request, view):
        roles = roles_for(request.user)
        if request.method in SAFE_METHODS:
            return roles.coordinator or roles.is_org_staff
        return roles.coordinator


class InitiativeViewSet(viewsets.ModelViewSet):
    """Initiatives (e.g. « L'économie sociale, j'achète! ») and the ids of their cohorts."""

    queryset = Initiative.objects.prefetch_related("cohorts").order_by("name")
    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilterSet
    permission_classes = [StaffReadCoordinatorWrite]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.create_initiative(
            **serializer.validated_data, by=self.request.user
        )


class CohortViewSet(viewsets.ModelViewSet):
    """Cohorts with their participating organizations and EÉS (the indicator scope)."""

    queryset = (
        Cohort.objects.select_related("initiative")
        .prefetch_related(
            Prefetch(
                "participating_organizations",
                queryset=CohortOrganization.objects.select_related("organization"),
            ),
            "participating_enterprises",
        )
        .order_by("initiative__name", "start", "id")
    )
    serializer_class = CohortSerializer
    filterset_class = CohortFilterSet
    permission_classes = [StaffReadCoordinatorWrite]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.create_cohort(
            **serializer.validated_data, by=self.request.user
        )

    @extend_schema(request=CohortOrganizationSerializer, responses=CohortSerializer)
    @action(detail=True, methods=["post"], url_path="organizations")
    def add_organization(self, request, pk=None):
        """Add a buying organization to the cohort, with its commitment declaration's date."""
        cohort = self.get_object()
        payload = CohortOrganizationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.add_organization_to_cohort(
            cohort=cohort, **payload.validated_data, by=request.user
        )
        cohort = self.get_queryset().get(pk=cohort.pk)
        return Response(self.get_serializer(cohort).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Initiatives' viewsets on the portal's one router."""
    router.register("initiatives", InitiativeViewSet)
    router.register("cohorts", CohortViewSet)
