from rest_framework import serializers, viewsets

from portal.accounts.models import Organization
from portal.accounts.permissions import IsCoordinatorOrReadOnly


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "slug",
            "kind",
            "region",
            "municipality",
            "website",
            "commitment_signed_on",
            "commitment_signatory",
            "is_active",
        ]
        read_only_fields = ["slug"]


class OrganizationViewSet(viewsets.ModelViewSet):
    """Buying organizations. Public to read; coordinators create and edit them."""

    queryset = Organization.objects.select_related("region", "municipality")
    serializer_class = OrganizationSerializer
    permission_classes = [IsCoordinatorOrReadOnly]
    filterset_fields = ["kind", "region", "is_active"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


def register(router) -> None:
    router.register("organizations", OrganizationViewSet)
