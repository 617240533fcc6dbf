from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken

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

    def validate(self, attrs):
        # The table's check constraint, as a 400 (a PATCH may send only one of the two).
        instance = self.instance
        signed_on = attrs.get(
            "commitment_signed_on", getattr(instance, "commitment_signed_on", None)
        )
        signatory = attrs.get("commitment_signatory", getattr(instance, "commitment_signatory", ""))
        if signed_on and not signatory:
            raise serializers.ValidationError(
                {"commitment_signatory": _("A signed commitment declaration needs a signatory.")}
            )
        return attrs


class OrganizationViewSet(viewsets.ModelViewSet):
    """Buying organizations. Public to read; coordinators create and edit them."""

    queryset = Organization.objects.select_related("region", "municipality")
    serializer_class = OrganizationSerializer
    permission_classes = [IsCoordinatorOrReadOnly]
    filterset_fields = ["kind", "region", "is_active"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


@extend_schema_serializer(component_name="AuthToken")
class TokenRequestSerializer(AuthTokenSerializer):
    # No e-mail is longer; a longer name is a 400 before the lockout records the attempt
    # in its 255-character column.
    username = serializers.CharField(label=_("E-mail address"), max_length=254, write_only=True)


class ObtainTokenView(ObtainAuthToken):
    """`POST /api/token/`: an e-mail and a password give the account's API token."""

    serializer_class = TokenRequestSerializer


def register(router) -> None:
    router.register("organizations", OrganizationViewSet)
