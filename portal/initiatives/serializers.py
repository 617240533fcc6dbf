"""API shapes of initiatives and cohorts; business rules live in portal.initiatives.services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.accounts.models import Organization
from portal.initiatives.models import Cohort, CohortOrganization, Initiative


class InitiativeSerializer(serializers.ModelSerializer):
    cohorts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Initiative
        fields = ["id", "name", "slug", "coordinating_body", "description", "cohorts"]
        read_only_fields = ["slug"]


class CohortOrganizationSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.active())
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = CohortOrganization
        fields = ["organization", "organization_name", "commitment_signed_on"]


class CohortSerializer(serializers.ModelSerializer):
    organizations = CohortOrganizationSerializer(
        source="participating_organizations", many=True, read_only=True
    )
    enterprise_ids = serializers.SerializerMethodField(
        help_text=_("Participating social-economy enterprises.")
    )

    class Meta:
        model = Cohort
        fields = [
            "id",
            "initiative",
            "name",
            "start",
            "end",
            "description",
            "organizations",
            "enterprise_ids",
        ]

    def get_enterprise_ids(self, cohort) -> list[int]:
        return [p.enterprise_id for p in cohort.participating_enterprises.all()]

    def validate(self, attrs):
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end": _("The end date must be on or after the start date.")}
            )
        return attrs
