"""Public pages of the directory: the search page and enterprise profiles."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from directory.filters import (
    FACETS,
    EnterpriseFilterSet,
    FacetValue,
)
from directory.models import Enterprise, Offering, Shortlist
from directory.profile import json_ld_script, organization_json_ld, with_profile_relations
from portal.accounts.roles import roles_for
from portal.reference.models import Category

PAGE_SIZE = 20
FACET_TITLES = {
    "category": _("Products and services"),
    "region": _("Region"),
    "municipality": _("Municipality"),
    "sector": _("Sector of activity"),
    "legal_form": _("Legal form"),
    "impact": _("Social impact"),
    "registered": _("Supplier file"),
}
# Shown before the rest of a long facet is folded away.
FACET_VISIBLE = {"category": 30, "municipality": 10, "sector": 8}


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    values: list[FacetValue]

    @property
    def visible(self) -> list[FacetValue]:
        limit = FACET_VISIBLE.get(self.name)
        if limit is None:
            return self.values
        return [v for i, v in enumerate(self.values) if i < limit or v.selected]

    @property
    def folded(self) -> list[FacetValue]:
        shown = set(map(id, self.visible))
        return [value for value in self.values if id(value) not in shown]


@dataclass(frozen=True)
class ActiveFilter:
    title: str
    label: str
    remove_url: str


def with_result_relations(queryset):
    """What a result of the search page shows: its place and the names of its offerings
    (the API's list shows more, see `with_listing_relations`)."""
    return (
        queryset.defer("search_document")
        .select_related("region", "municipality")
        .prefetch_related(Prefetch("offerings", Offering.objects.only("enterprise_id", "name")))
    )


def _without(query, name: str, value: str | None = None) -> str:
    """The query string without one value of a filter (or the whole filter), on page 1."""
    query = query.copy()
    query.pop("page", None)
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [v for v in query.getlist(name) if v != value])
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def index(request):
    """Search the directory: words, facets with counts, sorting and pages."""
    query = request.GET.copy()
    if "q" in query and "search" not in query:
        query["search"] = query.pop("q")[-1]  # one name for the words in links
    filterset = EnterpriseFilterSet(query, request=request)
    facets = filterset.facets()
    results = filterset.results(with_result_relations)
    page = Paginator(results, PAGE_SIZE).get_page(query.get("page"))
    groups = [
        FacetGroup(name, FACET_TITLES[name], facets[name]) for name in FACETS if name in facets
    ]
    active = [
        ActiveFilter(
            FACET_TITLES[group.name], value.label, _without(query, group.name, value.value)
        )
        for group in groups
        for value in group.values
        if value.selected
    ]
    search_text = filterset.cleaned_data.get("search") or ""
    context = {
        "filterset": filterset,
        "search_text": search_text,
        "parsed_search": filterset.parsed_search,
        "sort": filterset.ordering,
        "page": page,
        "facet_groups": groups,
        "active_filters": active,
        "clear_search_url": _without(query, "search"),
        "errors": [
            (filterset.form.fields[name].label, message)
            for name, messages in filterset.errors.items()
            for message in messages
        ],
        "has_filters": bool(active) or bool(search_text),
        "browse_categories": (
            Category.objects.filter(parent=None) if not page.object_list else None
        ),
    }
    return render(request, "directory/enterprise_list.html", context)


def enterprise_detail(request, slug):
    """An enterprise's public profile; managers' contacts only for buyers' staff."""
    queryset = with_profile_relations(Enterprise.objects.visible_to(request.user))
    enterprise = get_object_or_404(queryset, slug=slug)
    roles = roles_for(request.user)
    offerings_by_category: dict = {}
    for offering in enterprise.offerings.all():
        offerings_by_category.setdefault(offering.category, []).append(offering)
    context = {
        "enterprise": enterprise,
        "offerings_by_category": offerings_by_category,
        "contacts": list(enterprise.contacts.all()) if roles.sees_contacts else None,
        "is_public": enterprise.status == Enterprise.Status.VERIFIED and enterprise.is_published,
        "json_ld": json_ld_script(organization_json_ld(enterprise, request)),
        "shortlists": _shortlists_of(request.user, roles),
    }
    return render(request, "directory/enterprise_detail.html", context)


def _shortlists_of(user, roles):
    """The buyer's shortlists, for the "add to a list" form; None when it is not offered."""
    if not (roles.is_org_staff or roles.coordinator):
        return None
    try:
        reverse("directory:shortlist-add")
    except NoReverseMatch:  # the members' pages are not installed
        return None
    return list(Shortlist.objects.filter(owner=user).order_by("name"))
