"""Members' endpoints of the directory: /api/supplier-registrations/."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from directory import services
from directory.forms import SupplierRegistrationFilterSet
from directory.models import SupplierRegistration
from portal.accounts.roles import roles_for


class SupplierRegistrationSerializer(serializers.ModelSerializer):
    registered_on = serializers.DateField(required=False)

    class Meta:
        model = SupplierRegistration
        fields = ["id", "enterprise", "organization", "registered_on", "withdrawn_on"]
        read_only_fields = ["withdrawn_on"]
        # The service checks "one open registration per pair" and says so in the user's
        # language; the generated validator would run the same query with a generic text.
        validators: list = []


class WithdrawalSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField(required=False)


def may_act_for(user, *, organization_id: int, enterprise_id: int) -> bool:
    """Officers and managers of the organization, coordinators, or the enterprise's own
    approved representatives may register in (or withdraw from) a supplier file."""
    roles = roles_for(user)
    return (
        roles.can_write(organization_id)
        or roles.can_manage(organization_id)
        or enterprise_id in roles.enterprise_ids
    )


def _as_api_error(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"non_field_errors": error.messages})


class SupplierRegistrationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Registrations of enterprises in buying organizations' supplier files.

    Organization staff see their organization's file, representatives their enterprise's
    registrations, coordinators everything. Filters: organization, enterprise, active_on
    (YYYY-MM-DD: registrations in force that day), q (name or NEQ), region.
    """

    serializer_class = SupplierRegistrationSerializer
    filterset_class = SupplierRegistrationFilterSet
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return SupplierRegistration.objects.visible_to(self.request.user).order_by(
            "-registered_on", "-pk"
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not may_act_for(
            request.user,
            organization_id=data["organization"].pk,
            enterprise_id=data["enterprise"].pk,
        ):
            raise PermissionDenied
        try:
            registration = services.register_in_supplier_file(
                enterprise=data["enterprise"],
                organization=data["organization"],
                registered_on=data.get("registered_on"),
                by=request.user,
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return Response(self.get_serializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WithdrawalSerializer, responses=SupplierRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the enterprise from the supplier file (today unless `withdrawn_on`)."""
        registration = self.get_object()
        if not may_act_for(
            request.user,
            organization_id=registration.organization_id,
            enterprise_id=registration.enterprise_id,
        ):
            raise PermissionDenied
        serializer = WithdrawalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            registration = services.withdraw_from_supplier_file(
                registration=registration,
                by=request.user,
                withdrawn_on=serializer.validated_data.get("withdrawn_on"),
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return Response(self.get_serializer(registration).data)


def register(router) -> None:
    """Supplier-file registrations and members' endpoints."""
    router.register(
        "supplier-registrations", SupplierRegistrationViewSet, basename="supplier-registration"
    )
