"""The one FilterSet behind the directory's search page and its API list, with facet counts.

Facet counts follow the usual rule: the counts of a filter's values are taken over the
results filtered by every *other* filter (and the text), so ticking a second region adds to
the results instead of emptying the region list. Each facet is one GROUP BY query, however
many values it has; the page and the API read the same numbers from `facets()`.
"""

from dataclasses import dataclass

import django_filters
from django import forms
from django.db import connections
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from directory.models import Enterprise, EnterpriseImpact, Impact, Offering, SupplierRegistration
from directory.search import Folded, ParsedSearch, filter_matching, parse_query, relevance
from portal.accounts.roles import ANONYMOUS, roles_for
from portal.reference.models import Category, Municipality, Region, Sector

SORT_RELEVANCE, SORT_NAME, SORT_NEWEST = "relevance", "name", "newest"
SORT_CHOICES = [
    (SORT_RELEVANCE, _("Relevance")),
    (SORT_NAME, _("Name")),
    (SORT_NEWEST, _("Newest")),
]
FACETS = ("category", "region", "municipality", "sector", "legal_form", "impact", "registered")
MUNICIPALITY_FACET_SIZE = 25  # the municipalities with the most results, plus those ticked


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    parent: str | None = None  # sub-categories name their category


def _in_english() -> bool:
    return (get_language() or "fr")[:2] == "en"


def _name(name_fr: str, name_en: str) -> str:
    return (name_en if _in_english() else name_fr) or name_fr


class EnterpriseFilterForm(forms.Form):
    roles = ANONYMOUS  # set by the FilterSet: some filters depend on who asks

    def clean_registered(self):
        value = self.cleaned_data.get("registered")
        if value and not self.roles.is_org_staff:
            raise forms.ValidationError(
                _("Sign in as a member of a buying organization to filter on its supplier file.")
            )
        return value


class EnterpriseFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=200,
        label=_("Search"),
        help_text=_(
            "Words in French or English, in any case, with or without accents; `q` is accepted too."
        ),
    )
    category = django_filters.ModelMultipleChoiceFilter(
        queryset=Category.objects.all(),
        field_name="offerings__category",
        to_field_name="slug",
        method="filter_category",
        label=_("Products and services"),
        help_text=_("Category slugs; a category includes its sub-categories."),
    )
    region = django_filters.ModelMultipleChoiceFilter(
        queryset=Region.objects.all(),
        method="filter_region",
        label=_("Region"),
        help_text=_("Region codes (01–17): located in or serving the region."),
    )
    municipality = django_filters.ModelMultipleChoiceFilter(
        queryset=Municipality.objects.all(),
        method="filter_municipality",
        label=_("Municipality"),
        help_text=_("Geographic codes of municipalities."),
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        queryset=Sector.objects.all(),
        field_name="sectors",
        method="filter_sector",
        label=_("Sector"),
        help_text=_("SCIAN codes; a sector includes its subsectors."),
    )
    legal_form = django_filters.MultipleChoiceFilter(
        choices=Enterprise.LegalForm.choices, method="filter_legal_form", label=_("Legal form")
    )
    impact = django_filters.MultipleChoiceFilter(
        choices=Impact.choices, method="filter_impact", label=_("Social impact")
    )
    registered = django_filters.ChoiceFilter(
        choices=[("true", _("Yes")), ("false", _("No"))],
        method="filter_registered",
        label=_("In my organization's supplier file"),
        help_text=_("For signed-in members of a buying organization."),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Enterprise.Status.choices,
        field_name="status",
        label=_("Social-economy status"),
        help_text=_("Visitors only ever see verified enterprises."),
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES,
        method="filter_sort",
        empty_label=None,
        label=_("Sort by"),
        help_text=_("Relevance by default when searching words, name otherwise."),
    )

    class Meta:
        model = Enterprise
        fields: list[str] = []
        form = EnterpriseFilterForm

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        if data is not None and "q" in data and "search" not in data:
            data = data.copy()
            data["search"] = data["q"]
        if queryset is None:
            user = getattr(request, "user", None)
            queryset = Enterprise.objects.visible_to(user)
        super().__init__(data, queryset, request=request, **kwargs)
        self.roles = roles_for(getattr(request, "user", None))

    @property
    def form(self):
        if not hasattr(self, "_form"):
            super().form.roles = self.roles
        return self._form

    # --- Filters --------------------------------------------------------------------
    @property
    def cleaned_data(self) -> dict:
        """The valid part of the request: an invalid filter is reported and left out."""
        self.errors  # noqa: B018 - validates the form once
        return self.form.cleaned_data

    @cached_property
    def parsed_search(self) -> ParsedSearch:
        return parse_query(self.cleaned_data.get("search"), using=self.queryset.db)

    def filter_search(self, queryset, name, value):
        return filter_matching(queryset, self.parsed_search)

    def filter_category(self, queryset, name, categories):
        ids = [category.pk for category in categories]
        if not ids:
            return queryset
        offerings = Offering.objects.filter(Q(category__in=ids) | Q(category__parent__in=ids))
        return queryset.filter(pk__in=offerings.values("enterprise_id"))

    def filter_region(self, queryset, name, regions):
        codes = [region.pk for region in regions]
        if not codes:
            return queryset
        served = Enterprise.regions_served.through.objects.filter(region_id__in=codes)
        return queryset.filter(Q(region_id__in=codes) | Q(pk__in=served.values("enterprise_id")))

    def filter_municipality(self, queryset, name, municipalities):
        codes = [municipality.pk for municipality in municipalities]
        return queryset.filter(municipality_id__in=codes) if codes else queryset

    def filter_sector(self, queryset, name, sectors):
        codes = [sector.pk for sector in sectors]
        if not codes:
            return queryset
        links = Enterprise.sectors.through.objects.filter(
            Q(sector_id__in=codes) | Q(sector__parent_id__in=codes)
        )
        return queryset.filter(pk__in=links.values("enterprise_id"))

    def filter_legal_form(self, queryset, name, values):
        return queryset.filter(legal_form__in=values) if values else queryset

    def filter_impact(self, queryset, name, values):
        if not values:
            return queryset
        impacts = EnterpriseImpact.objects.filter(impact__in=values)
        return queryset.filter(pk__in=impacts.values("enterprise_id"))

    def _registered_ids(self):
        registrations = SupplierRegistration.objects.active_on(timezone.localdate()).filter(
            organization_id__in=self.roles.organization_ids
        )
        return registrations.values("enterprise_id")

    def filter_registered(self, queryset, name, value):
        if value == "true":
            return queryset.filter(pk__in=self._registered_ids())
        if value == "false":
            return queryset.exclude(pk__in=self._registered_ids())
        return queryset

    def filter_sort(self, queryset, name, value):
        return queryset  # applied last, by `filter_queryset`

    def _filtered(self, queryset, without: str | None = None):
        for name, value in self.cleaned_data.items():
            if name not in (without, "sort"):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def ordering(self) -> str:
        chosen = self.cleaned_data.get("sort")
        if chosen == SORT_RELEVANCE and not self.parsed_search:
            chosen = None
        return chosen or (SORT_RELEVANCE if self.parsed_search else SORT_NAME)

    def filter_queryset(self, queryset):
        queryset = self._filtered(queryset)
        by_name = Folded(F("name")).asc()
        if self.ordering == SORT_RELEVANCE:
            queryset = queryset.annotate(relevance=relevance(queryset, self.parsed_search))
            return queryset.order_by(F("relevance").desc(), by_name, "pk")
        if self.ordering == SORT_NEWEST:
            return queryset.order_by("-created_at", "-pk")
        return queryset.order_by(by_name, "pk")

    # --- Facets ---------------------------------------------------------------------
    def facets(self) -> dict[str, list[FacetValue]]:
        """For each filter, its values with the number of results each would give."""
        facets = {}
        for name in FACETS:
            if name == "registered" and not self.roles.is_org_staff:
                continue
            scope = self._filtered(self.queryset, without=name).order_by()
            selected = self.cleaned_data.get(name)
            facets[name] = getattr(self, f"_count_{name}")(scope, selected)
        return facets

    def _count_category(self, scope, selected) -> list[FacetValue]:
        offerings = Offering.objects.filter(enterprise_id__in=scope.values("pk"))
        tops = offerings.values(
            top_id=Coalesce("category__parent_id", "category_id"),
            top_slug=Coalesce("category__parent__slug", "category__slug"),
            top_name_fr=Coalesce("category__parent__name_fr", "category__name_fr"),
            top_name_en=Coalesce("category__parent__name_en", "category__name_en"),
            top_position=Coalesce("category__parent__position", "category__position"),
        ).annotate(count=Count("enterprise_id", distinct=True))
        leaves = (
            offerings.filter(category__parent__isnull=False)
            .values(
                "category_id",
                "category__slug",
                "category__name_fr",
                "category__name_en",
                "category__position",
                "category__parent_id",
            )
            .annotate(count=Count("enterprise_id", distinct=True))
        )
        chosen = {category.slug: category for category in selected or []}
        children: dict[int, list] = {}
        for row in leaves:
            children.setdefault(row["category__parent_id"], []).append(row)
        facet = []
        for top in sorted(tops, key=lambda row: (row["top_position"], row["top_slug"])):
            facet.append(
                FacetValue(
                    top["top_slug"],
                    _name(top["top_name_fr"], top["top_name_en"]),
                    top["count"],
                    top["top_slug"] in chosen,
                )
            )
            rows = sorted(children.get(top["top_id"], []), key=lambda r: r["category__position"])
            for row in rows:
                slug = row["category__slug"]
                facet.append(
                    FacetValue(
                        slug,
                        _name(row["category__name_fr"], row["category__name_en"]),
                        row["count"],
                        slug in chosen,
                        parent=top["top_slug"],
                    )
                )
        shown = {value.value for value in facet}
        for slug, category in chosen.items():
            if slug not in shown:
                parent = category.parent.slug if category.parent_id else None
                facet.append(FacetValue(slug, category.name, 0, True, parent=parent))
        return facet

    def _count_region(self, scope, selected) -> list[FacetValue]:
        # An enterprise counts in the region where it is located and in those it serves.
        ids_sql, ids_params = scope.values("pk").query.sql_with_params()
        enterprise = Enterprise._meta.db_table
        served = Enterprise.regions_served.through._meta.db_table
        region_table = Region._meta.db_table
        sql = f"""
            SELECT pairs.region, r.name, COUNT(*) FROM (
                SELECT e.id AS enterprise, e.region_id AS region FROM {enterprise} e
                WHERE e.region_id IS NOT NULL AND e.id IN ({ids_sql})
                UNION
                SELECT s.enterprise_id, s.region_id FROM {served} s
                WHERE s.enterprise_id IN ({ids_sql})
            ) pairs JOIN {region_table} r ON r.code = pairs.region
            GROUP BY pairs.region, r.name ORDER BY pairs.region
        """  # noqa: S608 - table names from the models, values as parameters
        with connections[scope.db].cursor() as cursor:
            cursor.execute(sql, [*ids_params, *ids_params])
            rows = cursor.fetchall()
        chosen = {region.pk: region for region in selected or []}
        facet = [FacetValue(code, name, count, code in chosen) for code, name, count in rows]
        counted = {code for code, _name, _count in rows}
        facet += [
            FacetValue(code, region.name, 0, True)
            for code, region in chosen.items()
            if code not in counted
        ]
        return sorted(facet, key=lambda value: value.value)

    def _count_municipality(self, scope, selected) -> list[FacetValue]:
        rows = (
            scope.exclude(municipality_id=None)
            .values("municipality_id", "municipality__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "municipality__name")
        )
        chosen = {municipality.pk: municipality for municipality in selected or []}
        facet = [
            FacetValue(
                row["municipality_id"],
                row["municipality__name"],
                row["count"],
                row["municipality_id"] in chosen,
            )
            for row in rows[:MUNICIPALITY_FACET_SIZE]
        ]
        shown = {value.value for value in facet}
        missing = [code for code in chosen if code not in shown]
        if missing:
            counts = dict(
                scope.filter(municipality_id__in=missing)
                .values_list("municipality_id")
                .annotate(count=Count("pk"))
            )
            facet += [
                FacetValue(code, chosen[code].name, counts.get(code, 0), True) for code in missing
            ]
        return facet

    def _count_sector(self, scope, selected) -> list[FacetValue]:
        links = Enterprise.sectors.through.objects.filter(enterprise_id__in=scope.values("pk"))
        rows = links.values(
            top_code=Coalesce("sector__parent_id", "sector_id"),
            top_name_fr=Coalesce("sector__parent__name_fr", "sector__name_fr"),
            top_name_en=Coalesce("sector__parent__name_en", "sector__name_en"),
        ).annotate(count=Count("enterprise_id", distinct=True))
        chosen = {sector.pk: sector for sector in selected or []}
        facet = [
            FacetValue(
                row["top_code"],
                _name(row["top_name_fr"], row["top_name_en"]),
                row["count"],
                row["top_code"] in chosen,
            )
            for row in rows
        ]
        shown = {value.value for value in facet}
        missing = [code for code in chosen if code not in shown]
        if missing:  # subsectors chosen through the API, or sectors without results
            counts = dict(
                links.filter(sector_id__in=missing)
                .values_list("sector_id")
                .annotate(count=Count("enterprise_id", distinct=True))
            )
            facet += [
                FacetValue(
                    code, chosen[code].name, counts.get(code, 0), True, chosen[code].parent_id
                )
                for code in missing
            ]
        return sorted(facet, key=lambda value: value.value)

    def _count_legal_form(self, scope, selected) -> list[FacetValue]:
        counts = dict(scope.values_list("legal_form").annotate(count=Count("pk")))
        chosen = set(selected or [])
        return [
            FacetValue(value, str(label), counts.get(value, 0), value in chosen)
            for value, label in Enterprise.LegalForm.choices
            if counts.get(value) or value in chosen
        ]

    def _count_impact(self, scope, selected) -> list[FacetValue]:
        impacts = EnterpriseImpact.objects.filter(enterprise_id__in=scope.values("pk"))
        counts = dict(impacts.values_list("impact").annotate(count=Count("pk")))
        chosen = set(selected or [])
        return [
            FacetValue(value, str(label), counts.get(value, 0), value in chosen)
            for value, label in Impact.choices
            if counts.get(value) or value in chosen
        ]

    def _count_registered(self, scope, selected) -> list[FacetValue]:
        count = scope.filter(pk__in=self._registered_ids()).count()
        label = str(_("In my organization's supplier file"))
        return [FacetValue("true", label, count, selected == "true")]


def with_listing_relations(queryset):
    """What a list of results shows, fetched in a constant number of queries."""
    return queryset.select_related("region", "municipality", "primary_sector").prefetch_related(
        "sectors",
        "regions_served",
        "impacts",
        Prefetch("offerings", Offering.objects.select_related("category")),
    )
