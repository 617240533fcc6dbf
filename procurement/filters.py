"""One FilterSet per list, shared by the HTML lists and the API (`?organization=&start=&end=`).

Every dated record filters on its own date with `start` and `end` (both inclusive, like the
indicators' periods) and `year`; `organization`, `enterprise` and `method` mean the same
thing everywhere (through the process where the record has no such field itself).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters

from portal.accounts.models import Organization
from procurement.models import (
    Activity,
    AnnualNeed,
    Award,
    Bid,
    BusinessContact,
    Invitation,
    Method,
    ProcurementProcess,
    Threshold,
)


class PeriodForm(forms.Form):
    """Refuses a period whose end comes before its start (HTTP 400 on the API)."""

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise ValidationError({"end": _("The end of the period cannot precede its start.")})
        return data


class PeriodFilterSet(filters.FilterSet):
    """`start`, `end` (inclusive) and `year` on the record's own date (`date_field`)."""

    date_field = "date"

    start = filters.DateFilter(label=gettext_lazy("From"), method="filter_start")
    end = filters.DateFilter(label=gettext_lazy("To"), method="filter_end")
    year = filters.NumberFilter(label=gettext_lazy("Year"), method="filter_year")

    def filter_start(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__gte": value})

    def filter_end(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__lte": value})

    def filter_year(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__year": int(value)})


def _organization_filter(field_name: str = "organization") -> filters.ModelChoiceFilter:
    # Every organization is a valid choice: what a user may see is decided by the queryset.
    return filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=Organization.objects.all(),
        label=gettext_lazy("Organization"),
    )


def _enterprise_filter(field_name: str = "enterprise") -> filters.NumberFilter:
    return filters.NumberFilter(field_name=field_name, label=gettext_lazy("Enterprise"))


def _method_filter(field_name: str) -> filters.ChoiceFilter:
    return filters.ChoiceFilter(
        field_name=field_name, choices=Method.choices, label=gettext_lazy("Method")
    )


class AnnualNeedFilterSet(filters.FilterSet):
    organization = _organization_filter()
    planned_method = _method_filter("planned_method")

    class Meta:
        model = AnnualNeed
        fields = [
            "organization",
            "fiscal_year",
            "category",
            "planned_method",
            "region",
            "is_published",
        ]


class ProcurementProcessFilterSet(PeriodFilterSet):
    """Processes by organization, method, status and publication date."""

    date_field = "published_on"

    organization = _organization_filter()
    method = _method_filter("method")
    enterprise = filters.NumberFilter(
        label=gettext_lazy("Awarded enterprise"), method="filter_enterprise"
    )
    flagged = filters.BooleanFilter(label=gettext_lazy("Flagged"), method="filter_flagged")
    q = filters.CharFilter(label=gettext_lazy("Reference or title"), method="filter_q")

    class Meta:
        model = ProcurementProcess
        fields = ["organization", "method", "status", "category", "source", "annual_need"]
        form = PeriodForm

    def filter_enterprise(self, queryset, name, value):
        return queryset.filter(pk__in=Award.objects.filter(enterprise=value).values("process"))

    def filter_flagged(self, queryset, name, value):
        if value:
            return queryset.exclude(threshold_warning="")
        return queryset.filter(threshold_warning="")

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))


ProcessFilterSet = ProcurementProcessFilterSet


class InvitationFilterSet(PeriodFilterSet):
    date_field = "invited_on"

    organization = _organization_filter("process__organization")
    enterprise = _enterprise_filter()
    method = _method_filter("process__method")

    class Meta:
        model = Invitation
        fields = ["process", "organization", "enterprise", "method", "response"]
        form = PeriodForm


class BidFilterSet(PeriodFilterSet):
    date_field = "submitted_on"

    organization = _organization_filter("process__organization")
    enterprise = _enterprise_filter()
    method = _method_filter("process__method")

    class Meta:
        model = Bid
        fields = ["process", "organization", "enterprise", "method", "status"]
        form = PeriodForm


class AwardFilterSet(PeriodFilterSet):
    date_field = "awarded_on"

    organization = _organization_filter()
    enterprise = _enterprise_filter()
    method = _method_filter("process__method")
    social_economy = filters.BooleanFilter(
        label=gettext_lazy("Awarded to an EÉS"), method="filter_social_economy"
    )

    class Meta:
        model = Award
        fields = ["process", "organization", "enterprise", "method", "status", "social_economy"]
        form = PeriodForm

    def filter_social_economy(self, queryset, name, value):
        from directory.models import Enterprise

        verified = {"enterprise__status": Enterprise.Status.VERIFIED}
        return queryset.filter(**verified) if value else queryset.exclude(**verified)


class ActivityFilterSet(PeriodFilterSet):
    organization = _organization_filter("organizations")
    enterprise = _enterprise_filter("enterprises")

    class Meta:
        model = Activity
        fields = ["kind", "organization", "enterprise"]
        form = PeriodForm


class BusinessContactFilterSet(PeriodFilterSet):
    organization = _organization_filter()
    enterprise = _enterprise_filter()

    class Meta:
        model = BusinessContact
        fields = ["organization", "enterprise", "activity"]
        form = PeriodForm


class ThresholdFilterSet(filters.FilterSet):
    class Meta:
        model = Threshold
        fields = ["kind"]
