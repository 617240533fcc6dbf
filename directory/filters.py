"""The one FilterSet behind the directory's search page and its API list, with facet counts.

Facet counts follow the usual rule: the counts of a filter's values are taken over the
results filtered by every *other* filter (and the text), so ticking a second region adds to
the results instead of emptying the region list. Each facet is one GROUP BY query, however
many values it has; the page and the API read the same numbers from `facets()`.
"""

import hashlib
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import BooleanField, F, Prefetch, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from directory.models import (
    Enterprise,
    EnterpriseImpact,
    FacetTally,
    Impact,
    Offering,
    SupplierRegistration,
)
from directory.search import (
    FACET_KEY_COLUMNS,
    Folded,
    ParsedSearch,
    filter_matching,
    has_facet_key,
    parse_query,
    relevance,
)
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
FIRST_IDS = 100  # results sorted by the facets' query: the first pages of 20, 25 or 50


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    parent: str | None = None  # sub-categories name their category

    @property
    def count_text(self) -> str:
        """The search page's "12 results": the text `blocktranslate count` gave in its
        template, at a fraction of the cost (a page lists about 100 values)."""
        text = ngettext("%(counter)s result", "%(counter)s results", self.count)
        return text % {"counter": localize(self.count)}


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

    # Enterprises with an offering in the categories (or their sub-categories), serving the
    # regions, in the sectors (or their subsectors), with the impacts, in the user's
    # organizations' supplier files: subqueries shared by the filters and the facet counts.
    @staticmethod
    def _offering_in(categories):
        ids = [category.pk for category in categories]
        # The categories first (a few rows), then their offerings through the index.
        chosen = Category.objects.filter(Q(pk__in=ids) | Q(parent__in=ids)).values("pk")
        return Offering.objects.filter(category__in=chosen).values("enterprise_id")

    @staticmethod
    def _serving(codes):
        served = Enterprise.regions_served.through.objects.filter(region_id__in=codes)
        return served.values("enterprise_id")

    @staticmethod
    def _in_sectors(sectors):
        codes = [sector.pk for sector in sectors]
        # The sectors first (a few rows), then their enterprises through the index.
        chosen = Sector.objects.filter(Q(pk__in=codes) | Q(parent_id__in=codes)).values("pk")
        return Enterprise.sectors.through.objects.filter(sector_id__in=chosen).values(
            "enterprise_id"
        )

    @staticmethod
    def _with_impacts(values):
        return EnterpriseImpact.objects.filter(impact__in=values).values("enterprise_id")

    def _registered(self):
        registrations = SupplierRegistration.objects.active_on(timezone.localdate()).filter(
            organization_id__in=self.roles.organization_ids
        )
        return registrations.values("enterprise_id")

    @property
    def _keyed(self) -> bool:
        """On PostgreSQL the link filters test the facet keys kept in each row (no join)."""
        return connections[self.queryset.db].vendor == "postgresql"

    def filter_category(self, queryset, name, categories):
        if not categories:
            return queryset
        if self._keyed:
            return queryset.filter(has_facet_key("facet_categories", [c.pk for c in categories]))
        return queryset.filter(pk__in=self._offering_in(categories))

    def filter_region(self, queryset, name, regions):
        codes = [region.pk for region in regions]
        if not codes:
            return queryset
        if self._keyed:
            return queryset.filter(Q(region_id__in=codes) | has_facet_key("facet_regions", codes))
        return queryset.filter(Q(region_id__in=codes) | Q(pk__in=self._serving(codes)))

    def filter_municipality(self, queryset, name, municipalities):
        codes = [municipality.pk for municipality in municipalities]
        return queryset.filter(municipality_id__in=codes) if codes else queryset

    def filter_sector(self, queryset, name, sectors):
        if not sectors:
            return queryset
        if self._keyed:
            return queryset.filter(has_facet_key("facet_sectors", [s.pk for s in sectors]))
        return queryset.filter(pk__in=self._in_sectors(sectors))

    def filter_legal_form(self, queryset, name, values):
        return queryset.filter(legal_form__in=values) if values else queryset

    def filter_impact(self, queryset, name, values):
        if not values:
            return queryset
        if self._keyed:
            return queryset.filter(has_facet_key("facet_impacts", values))
        return queryset.filter(pk__in=self._with_impacts(values))

    def filter_registered(self, queryset, name, value):
        if value == "true":
            return queryset.filter(pk__in=self._registered())
        if value == "false":
            return queryset.exclude(pk__in=self._registered())
        return queryset

    def filter_sort(self, queryset, name, value):
        return queryset  # applied last, by `filter_queryset`

    def _filtered(self, queryset, names=None):
        """The queryset with the filters given (all of them when None), sorting aside."""
        for name, value in self.cleaned_data.items():
            if name != "sort" and (names is None or name in names):
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
        if self.ordering == SORT_RELEVANCE:
            queryset = queryset.annotate(relevance=relevance(queryset, self.parsed_search))
            # Ties by plain name: folding every matching name would cost more than it shows.
            return queryset.order_by(F("relevance").desc(), "name", "pk")
        if self.ordering == SORT_NEWEST:
            return queryset.order_by("-created_at", "-pk")
        return queryset.order_by(Folded(F("name")).asc(), "pk")

    # --- Facets ---------------------------------------------------------------------
    @cached_property
    def total_count(self) -> int:
        """The number of results, counted by the facets' query when it ran."""
        self._facet_rows()
        return self._total_count

    @property
    def first_ids(self) -> list[int] | None:
        """The ids of the first results when sorted by relevance, found by the facets' query
        (ranking needs the same rows as counting: reading them once is half the work)."""
        self._facet_rows()
        return self._first_ids

    def results(self, relations=None) -> "CountedResults":
        """The results with what a list of them shows (`relations`, by default
        `with_listing_relations`), for a paginator."""
        queryset = (relations or with_listing_relations)(self.qs)
        return CountedResults(queryset, self.total_count, first_ids=self.first_ids)

    def facets(self) -> dict[str, list[FacetValue]]:
        """For each filter, its values with the number of results each would give."""
        rows = self._facet_rows()
        return {
            name: getattr(self, f"_{name}_facet")(rows.get(name, []), self.cleaned_data.get(name))
            for name in FACETS
            if name != "registered" or self.roles.is_org_staff
        }

    def _is_active(self, name: str) -> bool:
        value = self.cleaned_data.get(name)
        return value in ("true", "false") if name == "registered" else bool(value)

    def _conditions(self, names) -> tuple[str, list]:
        """The filters named as one SQL condition on the columns of `matching` (aliased as
        the enterprise table), or '' when they let everything through."""
        queryset = self._filtered(Enterprise.objects.all(), names=names)
        query = queryset.query
        joined = {alias for alias, count in query.alias_refcount.items() if count}
        if joined - {Enterprise._meta.db_table}:  # a filter joined a table
            sql, params = queryset.values("pk").query.sql_with_params()
            return f'"{Enterprise._meta.db_table}"."id" IN ({sql})', list(params)
        try:
            sql, params = query.get_compiler(self.queryset.db).compile(query.where)
        except FullResultSet:
            return "", []
        except EmptyResultSet:
            return "FALSE", []
        return sql, list(params)

    def _facet_rows(self) -> dict[str, list[tuple]]:
        """Every facet count and the number of results, in one SQL statement.

        `matching` holds the enterprises the user may see that match the words: the costly
        part (the text index, then a visit of each match), done once, with a flag per filter
        in use telling whether the match passes it. `results` keeps those every filter lets
        through: it gives the number of results and the counts of each filter not in use. A
        filter in use counts its values over `scope_<filter>`, the matches every *other*
        filter lets through. The filters are compiled by Django, the same as the results'
        (see `_conditions`); on PostgreSQL the link filters and facets read the facet keys
        kept in each row (`_keyed`), so a match is one row read and nothing else.
        """
        if hasattr(self, "_rows"):
            return self._rows
        if self._counts_the_published_directory:
            return self._keep_rows(self._tally_rows(), by_relevance=False)
        table = Enterprise._meta.db_table
        columns = ("id", "region_id", "municipality_id", "legal_form")
        matching = self._filtered(self.queryset, names=["search"]).order_by()
        keyed = self._keyed
        if keyed:  # the facet keys kept in the row (directory.search, migration 0005)
            matching = matching.annotate(
                **{name: RawSQL(f'"{table}"."{name}"', ()) for name in FACET_KEY_COLUMNS}  # noqa: S611
            )
            columns += FACET_KEY_COLUMNS
        by_relevance = self.ordering == SORT_RELEVANCE
        if by_relevance:  # the first page comes with the counts (see `first_ids`)
            matching = matching.annotate(relevance=relevance(matching, self.parsed_search))
            columns += ("name", "relevance")
        # Each filter in use is a flag of every match, computed with it (a subquery hashed
        # once): the results pass every flag, a facet in use counts the matches passing
        # the others.
        flags = []
        for name in self.cleaned_data:
            if name not in ("sort", "search"):
                condition, condition_params = self._conditions([name])
                if condition:
                    flag = RawSQL(f"({condition})", condition_params, output_field=BooleanField())  # noqa: S611 - compiled by Django
                    matching = matching.annotate(**{f"passes_{name}": flag})
                    flags.append(name)
        matching = matching.values(*columns, *(f"passes_{name}" for name in flags))
        sql, params = matching.query.sql_with_params()
        ctes, params, scopes = {"matching": sql}, list(params), {}
        source = "matching"
        passing = f"SELECT * FROM {source}"  # noqa: S608 - names from this module
        for name in (None, *FACETS):
            if name is not None and not self._is_active(name):
                continue
            wanted = [f"passes_{other}" for other in flags if other != name]
            cte = "results" if name is None else f"scope_{name}"
            ctes[cte] = passing + (" WHERE " + " AND ".join(wanted) if wanted else "")
            if name is not None:
                scopes[name] = cte
        tables = {
            "offering": Offering._meta.db_table,
            "category": Category._meta.db_table,
            "links": Enterprise.sectors.through._meta.db_table,
            "sector": Sector._meta.db_table,
            "served": Enterprise.regions_served.through._meta.db_table,
            "region": Region._meta.db_table,
            "municipality": Municipality._meta.db_table,
            "impact": EnterpriseImpact._meta.db_table,
        }
        facet_sql = _FACET_SQL
        if keyed:
            facet_sql = {**_FACET_SQL, **_KEYED_FACET_SQL}
        else:  # the categories offered by the enterprises that count for the category facet
            ctes["offered"] = (
                "SELECT DISTINCT o.enterprise_id, o.category_id"  # noqa: S608 - names from models
                f" FROM {scopes.get('category', 'results')} base"
                f" JOIN {tables['offering']} o ON o.enterprise_id = base.id"
            )
        parts = []
        if by_relevance:
            parts.append(
                "SELECT '#', NULL, NULL, NULL, NULL, CAST(ord AS integer), id FROM ("  # noqa: S608
                " SELECT id, row_number() OVER (ORDER BY relevance DESC, name, id) AS ord"
                f" FROM results ORDER BY relevance DESC, name, id LIMIT {FIRST_IDS}) page"
            )
        for name in (*FACETS, "*"):
            if name == "registered":
                if not self.roles.is_org_staff:
                    continue
                registered_sql, registered_params = self._registered().query.sql_with_params()
                tables["registered"] = registered_sql
                params += registered_params
            parts.append(facet_sql[name].format(scope=scopes.get(name, "results"), **tables))
        sql = (
            "WITH "
            + ", ".join(
                # A scope no filter narrows is `matching` itself: read it, don't copy it. A
                # filter's own scope is read once, by its facet: filtered there, not copied.
                f"{cte} AS {'NOT ' if body == passing or cte.startswith('scope_') else ''}"
                f"MATERIALIZED ({body})"
                for cte, body in ctes.items()
            )
            + " "
            + " UNION ALL ".join(parts)
        )
        fetched = _cached_rows(connections[self.queryset.db], sql, params)
        return self._keep_rows(fetched, by_relevance)

    def _keep_rows(self, fetched, by_relevance: bool) -> dict[str, list[tuple]]:
        """Sort the facets statement's rows out: the number of results, the first ids when
        sorted by relevance, and the rows of each facet."""
        rows: dict[str, list[tuple]] = {}
        for facet, *values in fetched:
            rows.setdefault(facet, []).append(tuple(values))
        self._total_count = rows.pop("*")[0][-1]
        first = sorted(rows.pop("#", []), key=lambda row: row[4])
        self._first_ids = [row[5] for row in first] if by_relevance else None
        self._rows = rows
        return rows

    @cached_property
    def _counts_the_published_directory(self) -> bool:
        """No words, no filter, and what visitors see: PostgreSQL keeps these counts in a
        tally (directory.tally) instead of counting the whole directory again."""
        if not self._keyed or any(
            self._is_active(name) for name in self.cleaned_data if name != "sort"
        ):
            return False
        try:
            shown = self.queryset.order_by().query.sql_with_params()
        except EmptyResultSet:
            return False
        return shown == Enterprise.objects.published().order_by().query.sql_with_params()

    def _tally_rows(self) -> list[tuple]:
        """The rows of `_facet_rows`'s statement, from the tally and the reference tables."""
        tables = {
            "tally": FacetTally._meta.db_table,
            "category": Category._meta.db_table,
            "region": Region._meta.db_table,
            "municipality": Municipality._meta.db_table,
            "sector": Sector._meta.db_table,
        }
        sql, params = _TALLY_SQL.format(**tables), []
        if self.roles.is_org_staff:
            registered = self.queryset.filter(pk__in=self._registered()).order_by().values("pk")
            registered_sql, params = registered.query.sql_with_params()
            sql += (
                " UNION ALL SELECT 'registered', 'true', NULL, NULL, NULL, 0, COUNT(*)"  # noqa: S608
                f" FROM ({registered_sql}) registered"
            )
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # Rows are (value, parent, label in French, label in English, position, count).
    def _category_facet(self, rows, selected) -> list[FacetValue]:
        chosen = {category.slug: category for category in selected or []}
        tops = sorted((row for row in rows if row[1] is None), key=lambda row: (row[4], row[0]))
        children: dict[str, list] = {}
        for row in rows:
            if row[1] is not None:
                children.setdefault(row[1], []).append(row)
        facet = []
        for slug, _parent, name_fr, name_en, _position, count in tops:
            facet.append(FacetValue(slug, _name(name_fr, name_en), count, slug in chosen))
            for child, parent, child_fr, child_en, _pos, child_count in sorted(
                children.get(slug, []), key=lambda row: (row[4], row[0])
            ):
                facet.append(
                    FacetValue(
                        child, _name(child_fr, child_en), child_count, child in chosen, parent
                    )
                )
        shown = {value.value for value in facet}
        for slug, category in chosen.items():
            if slug not in shown:
                parent = category.parent.slug if category.parent_id else None
                facet.append(FacetValue(slug, category.name, 0, True, parent=parent))
        return facet

    def _region_facet(self, rows, selected) -> list[FacetValue]:
        chosen = {region.pk: region for region in selected or []}
        counts = {code: (name, count) for code, _p, name, _en, _pos, count in rows}
        for code, region in chosen.items():
            counts.setdefault(code, (region.name, 0))
        return [
            FacetValue(code, name, count, code in chosen)
            for code, (name, count) in sorted(counts.items())
        ]

    def _municipality_facet(self, rows, selected) -> list[FacetValue]:
        chosen = {municipality.pk: municipality for municipality in selected or []}
        ranked = sorted(rows, key=lambda row: (-row[5], row[2], row[0]))
        facet = [
            FacetValue(code, name, count, code in chosen)
            for code, _p, name, _en, _pos, count in ranked[:MUNICIPALITY_FACET_SIZE]
        ]
        shown = {value.value for value in facet}
        counts = {row[0]: row[5] for row in rows}
        facet += [
            FacetValue(code, municipality.name, counts.get(code, 0), True)
            for code, municipality in chosen.items()
            if code not in shown
        ]
        return facet

    def _sector_facet(self, rows, selected) -> list[FacetValue]:
        chosen = {sector.pk: sector for sector in selected or []}
        facet = [
            FacetValue(code, _name(name_fr, name_en), count, code in chosen)
            for code, _p, name_fr, name_en, _pos, count in rows
        ]
        shown = {value.value for value in facet}
        # A subsector chosen through the API is listed as chosen, its count is its sector's.
        facet += [
            FacetValue(code, sector.name, 0, True, sector.parent_id)
            for code, sector in chosen.items()
            if code not in shown
        ]
        return sorted(facet, key=lambda value: value.value)

    def _choices_facet(self, rows, selected, choices) -> list[FacetValue]:
        counts = {row[0]: row[5] for row in rows}
        chosen = set(selected or [])
        return [
            FacetValue(value, str(label), counts.get(value, 0), value in chosen)
            for value, label in choices
            if counts.get(value) or value in chosen
        ]

    def _legal_form_facet(self, rows, selected) -> list[FacetValue]:
        return self._choices_facet(rows, selected, Enterprise.LegalForm.choices)

    def _impact_facet(self, rows, selected) -> list[FacetValue]:
        return self._choices_facet(rows, selected, Impact.choices)

    def _registered_facet(self, rows, selected) -> list[FacetValue]:
        count = rows[0][5] if rows else 0
        label = str(_("In my organization's supplier file"))
        return [FacetValue("true", label, count, selected == "true")]


FACET_CACHE_SECONDS = 600
# Where the next write-ahead log record goes (what replicas have replayed): it moves with
# every write, even one not yet flushed or committed.
_POSTGRES_DATA_VERSION = (
    "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
    " ELSE pg_current_wal_insert_lsn() END::text"
)


def _cached_rows(connection, sql: str, params: list) -> list[tuple]:
    """The facets statement's rows, from the cache while the database has not changed.

    On PostgreSQL the insert position in the write-ahead log moves with every write, so it
    dates the data exactly: the same statement at the same position gives the same
    rows. The landing page counts every enterprise: at 100 000 that is the costliest query of
    the directory, and the one most often asked. SQLite computes every time.
    """
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchall()
        cursor.execute(_POSTGRES_DATA_VERSION)
        version = cursor.fetchone()[0]
        digest = hashlib.sha256(repr((version, sql, params)).encode()).hexdigest()
        key = f"directory:facets:{digest}"
        rows = cache.get(key)
        if rows is None:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            cache.set(key, rows, FACET_CACHE_SECONDS)
        return rows


# One SELECT per facet, each giving (facet, value, parent, label in French, label in English,
# position, count) over `{scope}`: `results`, or the facet's own scope when it is in use.
# Each groups on narrow keys (ids, codes) first and joins the labels to the few groups after:
# grouping tens of thousands of rows on their labels sorted them on disk (measured at
# 100 000 enterprises: 2 s of a 4.8 s facets statement for the word "coopérative").
_FACET_SQL = {
    # From `offered` (distinct enterprise and category pairs): the categories, which count
    # their sub-categories, then these.
    "category": (
        "SELECT 'category', c.slug, NULL, c.name_fr, c.name_en, c.position, counts.n"
        " FROM (SELECT top, COUNT(*) AS n FROM ("
        "  SELECT DISTINCT offered.enterprise_id, COALESCE(c.parent_id, c.id) AS top"
        "  FROM offered JOIN {category} c ON c.id = offered.category_id) tops"
        " GROUP BY top) counts JOIN {category} c ON c.id = counts.top"
        " UNION ALL "
        "SELECT 'category', c.slug, p.slug, c.name_fr, c.name_en, c.position, counts.n"
        " FROM (SELECT category_id, COUNT(*) AS n FROM offered"
        " GROUP BY category_id) counts JOIN {category} c ON c.id = counts.category_id"
        " JOIN {category} p ON p.id = c.parent_id"
    ),
    # An enterprise counts in the region where it is located and in those it serves (a
    # served region is a distinct row per enterprise: only its own region can repeat).
    "region": (
        "SELECT 'region', r.code, NULL, r.name, NULL, 0, counts.n FROM ("
        " SELECT region, COUNT(*) AS n FROM ("
        "  SELECT base.region_id AS region FROM {scope} base WHERE base.region_id IS NOT NULL"
        "  UNION ALL SELECT s.region_id FROM {served} s"
        "  JOIN {scope} base ON base.id = s.enterprise_id"
        "  WHERE s.region_id IS DISTINCT FROM base.region_id"
        " ) pairs GROUP BY region"
        ") counts JOIN {region} r ON r.code = counts.region"
    ),
    "municipality": (
        "SELECT 'municipality', m.code, NULL, m.name, NULL, 0, counts.n FROM ("
        " SELECT base.municipality_id AS code, COUNT(*) AS n FROM {scope} base"
        " WHERE base.municipality_id IS NOT NULL GROUP BY base.municipality_id"
        ") counts JOIN {municipality} m ON m.code = counts.code"
    ),
    "sector": (
        "SELECT 'sector', s.code, NULL, s.name_fr, s.name_en, 0, counts.n FROM ("
        " SELECT top, COUNT(*) AS n FROM ("
        "  SELECT DISTINCT l.enterprise_id, COALESCE(s.parent_id, s.code) AS top"
        "  FROM {scope} base JOIN {links} l ON l.enterprise_id = base.id"
        "  JOIN {sector} s ON s.code = l.sector_id) tops"
        " GROUP BY top"
        ") counts JOIN {sector} s ON s.code = counts.top"
    ),
    "legal_form": (
        "SELECT 'legal_form', base.legal_form, NULL, NULL, NULL, 0, COUNT(*) FROM {scope} base"
        " GROUP BY base.legal_form"
    ),
    "impact": (
        "SELECT 'impact', i.impact, NULL, NULL, NULL, 0, COUNT(*)"
        " FROM {scope} base JOIN {impact} i ON i.enterprise_id = base.id GROUP BY i.impact"
    ),
    # The results (or the scope) that are in the user's organizations' supplier files.
    "registered": (
        "SELECT 'registered', 'true', NULL, NULL, NULL, 0, COUNT(*) FROM {scope} base"
        " WHERE base.id IN ({registered})"
    ),
    "*": "SELECT '*', NULL, NULL, NULL, NULL, 0, COUNT(*) FROM results",
}
# On PostgreSQL, the facets that come from links count the keys kept in each row instead
# (directory.search, FACET_KEY_COLUMNS): the same numbers, without a join per match.
_KEYED_FACET_SQL = {
    # A category's key is in the row of every enterprise offering it or one of its children.
    # The keys are unnested in the select list (one set-returning call per row, cheaper than
    # a lateral function scan).
    "category": (
        "SELECT 'category', c.slug, p.slug, c.name_fr, c.name_en, c.position, counts.n"
        " FROM (SELECT key, COUNT(*) AS n FROM ("
        "  SELECT unnest(base.facet_categories) AS key FROM {scope} base) keys"
        " GROUP BY key) counts"
        " JOIN {category} c ON c.id = counts.key LEFT JOIN {category} p ON p.id = c.parent_id"
    ),
    # The regions served, and the region where the enterprise is located if not among them.
    "region": (
        "SELECT 'region', r.code, NULL, r.name, NULL, 0, counts.n FROM ("
        " SELECT key, COUNT(*) AS n FROM ("
        "  SELECT unnest(CASE WHEN base.region_id IS NULL"
        "   OR base.region_id = ANY(base.facet_regions) THEN base.facet_regions"
        "   ELSE array_append(base.facet_regions, base.region_id) END) AS key"
        "  FROM {scope} base) keys"
        " GROUP BY key) counts JOIN {region} r ON r.code = counts.key"
    ),
    # Sector keys hold the sectors and their parents: the facet lists the parents.
    "sector": (
        "SELECT 'sector', s.code, NULL, s.name_fr, s.name_en, 0, counts.n FROM ("
        " SELECT key, COUNT(*) AS n FROM ("
        "  SELECT unnest(base.facet_sectors) AS key FROM {scope} base) keys"
        " GROUP BY key) counts JOIN {sector} s ON s.code = counts.key AND s.parent_id IS NULL"
    ),
    "impact": (
        "SELECT 'impact', key, NULL, NULL, NULL, 0, COUNT(*) FROM ("
        " SELECT unnest(base.facet_impacts) AS key FROM {scope} base) keys GROUP BY key"
    ),
}


# The counts of the published directory (directory.tally): the sums of the tally's rows,
# as the rows of `_FACET_SQL` (the keys are the same as `_KEYED_FACET_SQL`'s).
_TALLY_SQL = (
    "WITH tally AS MATERIALIZED (SELECT facet, key, sum(n) AS n FROM {tally}"
    " GROUP BY facet, key HAVING sum(n) > 0)"
    " SELECT 'category', c.slug, p.slug, c.name_fr, c.name_en, c.position, t.n FROM tally t"
    " JOIN {category} c ON t.key = c.id::text LEFT JOIN {category} p ON p.id = c.parent_id"
    " WHERE t.facet = 'category'"
    " UNION ALL SELECT 'region', r.code, NULL, r.name, NULL, 0, t.n FROM tally t"
    " JOIN {region} r ON r.code = t.key WHERE t.facet = 'region'"
    " UNION ALL SELECT 'municipality', m.code, NULL, m.name, NULL, 0, t.n FROM tally t"
    " JOIN {municipality} m ON m.code = t.key WHERE t.facet = 'municipality'"
    " UNION ALL SELECT 'sector', s.code, NULL, s.name_fr, s.name_en, 0, t.n FROM tally t"
    " JOIN {sector} s ON s.code = t.key AND s.parent_id IS NULL WHERE t.facet = 'sector'"
    " UNION ALL SELECT facet, key, NULL, NULL, NULL, 0, n FROM tally"
    " WHERE facet IN ('legal_form', 'impact')"
    " UNION ALL SELECT '*', NULL, NULL, NULL, NULL, 0,"
    " COALESCE((SELECT n FROM tally WHERE facet = '*'), 0)"
)


class CountedResults:
    """Results whose number is already known (the facets' query counts them), so that a
    paginator slices them without counting them again.

    A page is one query that sorts narrow rows (ids and sort keys, no joins) to find the
    page's ids, and reads only those rows in full with their relations: sorting every
    match in full, joined to its labels, cost more than finding them (measured at 100 000
    enterprises)."""

    ordered = True

    def __init__(self, queryset, count: int, first_ids: list[int] | None = None):
        self.queryset, self._count, self.first_ids = queryset, count, first_ids

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self.queryset[key]
        known = self.first_ids
        if known is not None and (len(known) == self._count or (key.stop or 0) <= len(known)):
            return self.queryset.filter(pk__in=known[key])
        page = self.queryset.values("pk")[key]
        return self.queryset.filter(pk__in=page)


def with_listing_relations(queryset):
    """What a list of results shows, fetched in a constant number of queries."""
    return (
        queryset.defer("search_document")
        .select_related("region", "municipality", "primary_sector")
        .prefetch_related(
            "sectors",
            "regions_served",
            "impacts",
            Prefetch("offerings", Offering.objects.select_related("category")),
        )
    )
