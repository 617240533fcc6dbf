import django_filters

from portal.initiatives.models import Cohort, Initiative


class InitiativeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="q")

    class Meta:
        model = Initiative
        fields = ["slug"]


class CohortFilterSet(django_filters.FilterSet):
    """Cohorts of an initiative; `active_on` keeps those whose dates include that day."""

    active_on = django_filters.DateFilter(method="filter_active_on")

    class Meta:
        model = Cohort
        fields = ["initiative"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(start__lte=value, end__gte=value)
