"""API shapes of procurement records. Amounts are decimal strings, dates ISO 8601.

Serializers check shapes and types only; every business rule is in procurement.services,
called by the viewsets (so the HTML forms and the importer obey the same rules).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator

from directory.models import Enterprise
from portal.accounts.models import Organization
from procurement.models import (
    Activity,
    AnnualNeed,
    Award,
    Bid,
    BusinessContact,
    Invitation,
    ProcurementProcess,
    Threshold,
)


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A related record the requesting user may see; anything else 'does not exist'."""

    def get_queryset(self):
        request = self.context.get("request")
        return self.queryset.visible_to(getattr(request, "user", None))


class SupplierSerializer(serializers.Serializer):
    """A supplier given by name and NEQ: found in the directory, or created as a non-EÉS."""

    name = serializers.CharField(max_length=200)
    neq = serializers.CharField(max_length=14, required=False, allow_blank=True)


class SupplierMixin(serializers.Serializer):
    """`enterprise` (an id) or `supplier` ({name, neq}) when recording a supplier's record."""

    supplier = SupplierSerializer(
        write_only=True,
        required=False,
        help_text=_("Instead of `enterprise`: a supplier found by NEQ or name, else created."),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None and bool(attrs.get("enterprise")) == bool(attrs.get("supplier")):
            raise serializers.ValidationError(
                {"enterprise": _("Give either an enterprise or a supplier (name and NEQ).")}
            )
        return attrs


class AnnualNeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnualNeed
        fields = [
            "id",
            "organization",
            "fiscal_year",
            "title",
            "description",
            "category",
            "estimated_value",
            "planned_quarter",
            "planned_method",
            "region",
            "is_published",
            "published_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["published_at", "created_at", "updated_at"]


class ProcessSerializer(serializers.ModelSerializer):
    annual_need = VisibleRelatedField(
        queryset=AnnualNeed.objects.all(), required=False, allow_null=True
    )
    is_flagged = serializers.BooleanField(read_only=True)

    class Meta:
        model = ProcurementProcess
        fields = [
            "id",
            "organization",
            "reference",
            "title",
            "description",
            "category",
            "unspsc_codes",
            "method",
            "estimated_value",
            "published_on",
            "closing_on",
            "annual_need",
            "status",
            "method_justification",
            "threshold_warning",
            "is_flagged",
            "ocid",
            "source",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["threshold_warning", "ocid", "source", "created_at", "updated_at"]
        # Uniqueness of the reference is checked by the service, with a clearer message.
        validators = []


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProcurementProcess.Status.choices)


class ProcessRecordSerializer(SupplierMixin, serializers.ModelSerializer):
    """Fields shared by invitations and bids: the process, its organization, the enterprise."""

    process = VisibleRelatedField(queryset=ProcurementProcess.objects.all())
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), required=False
    )
    organization = serializers.IntegerField(source="process.organization_id", read_only=True)
    process_reference = serializers.CharField(source="process.reference", read_only=True)
    process_title = serializers.CharField(source="process.title", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)


class InvitationSerializer(ProcessRecordSerializer):
    invited_on = serializers.DateField(required=False)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "process",
            "organization",
            "process_reference",
            "process_title",
            "enterprise",
            "enterprise_name",
            "supplier",
            "invited_on",
            "response",
            "responded_on",
            "created_at",
        ]
        read_only_fields = ["response", "responded_on", "created_at"]
        validators = []


class RespondSerializer(serializers.Serializer):
    response = serializers.ChoiceField(choices=Invitation.Response.choices)
    responded_on = serializers.DateField(required=False)


class BidSerializer(ProcessRecordSerializer):
    class Meta:
        model = Bid
        fields = [
            "id",
            "process",
            "organization",
            "process_reference",
            "process_title",
            "enterprise",
            "enterprise_name",
            "supplier",
            "submitted_on",
            "amount",
            "status",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        validators = []


class AwardSerializer(SupplierMixin, serializers.ModelSerializer):
    process = VisibleRelatedField(queryset=ProcurementProcess.objects.all())
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), required=False
    )
    bid = VisibleRelatedField(queryset=Bid.objects.all(), required=False, allow_null=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    process_reference = serializers.CharField(source="process.reference", read_only=True)
    process_title = serializers.CharField(source="process.title", read_only=True)
    method = serializers.CharField(source="process.method", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    is_social_economy = serializers.BooleanField(
        source="enterprise.is_social_economy", read_only=True
    )
    is_new_relationship = serializers.SerializerMethodField()
    follows_matchmaking = serializers.SerializerMethodField()

    class Meta:
        model = Award
        fields = [
            "id",
            "process",
            "organization",
            "organization_name",
            "process_reference",
            "process_title",
            "method",
            "enterprise",
            "enterprise_name",
            "is_social_economy",
            "supplier",
            "awarded_on",
            "amount",
            "status",
            "contract_number",
            "bid",
            "ocds_award_id",
            "is_new_relationship",
            "follows_matchmaking",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["organization", "ocds_award_id", "created_at", "updated_at"]
        validators = []

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_is_new_relationship(self, award):
        """First active award between the organization and the enterprise (indicators.md)."""
        return getattr(award, "is_new_relationship", None)

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_follows_matchmaking(self, award):
        """A contact at a matchmaking activity on or before the award date (indicators.md)."""
        return getattr(award, "follows_matchmaking", None)


class ActivitySerializer(serializers.ModelSerializer):
    organizations = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), many=True, required=False
    )
    enterprises = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), many=True, required=False
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "date",
            "title",
            "description",
            "organizer",
            "participants",
            "organizations",
            "enterprises",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class BusinessContactSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    is_new = serializers.SerializerMethodField()

    class Meta:
        model = BusinessContact
        fields = [
            "id",
            "organization",
            "enterprise",
            "enterprise_name",
            "date",
            "activity",
            "notes",
            "is_new",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_is_new(self, contact):
        """No earlier contact and no earlier active award for the pair (indicators.md)."""
        return getattr(contact, "is_new", None)


class ThresholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = Threshold
        fields = ["id", "kind", "amount", "effective_from", "source"]
        validators = [
            UniqueTogetherValidator(
                queryset=Threshold.objects.all(),
                fields=["kind", "effective_from"],
                message=_("A threshold of this kind already takes effect on this date."),
            )
        ]


class CumulativeRowSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    enterprise_name = serializers.CharField()
    neq = serializers.CharField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    contracts = serializers.IntegerField()
    above_threshold = serializers.BooleanField()


class CumulativeSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    year = serializers.IntegerField()
    threshold = serializers.DecimalField(max_digits=12, decimal_places=2)
    rows = CumulativeRowSerializer(many=True)


class CumulativeQuerySerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    date = serializers.DateTimeField()
    action = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    user = serializers.EmailField(allow_null=True)
    user_name = serializers.CharField(allow_null=True)
    changes = HistoryChangeSerializer(many=True)
