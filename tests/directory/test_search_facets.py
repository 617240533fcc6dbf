"""Filters and their facet counts: every count is what ticking that value would give."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.filters import EnterpriseFilterSet
from directory.models import Enterprise
from tests.directory.factories_public import region, searchable_enterprise
from tests.factories import SupplierRegistrationFactory

pytestmark = pytest.mark.django_db


def filterset(query: str = "", user=None) -> EnterpriseFilterSet:
    request = type("Request", (), {"user": user})()
    return EnterpriseFilterSet(QueryDict(query), request=request)


@pytest.fixture
def directory():
    """Caterers and printers in Montérégie, Montréal and Mauricie."""
    return {
        "cigale": searchable_enterprise(
            "Traiteur La Cigale",
            offerings=[("traiteur", "Buffets"), ("boites-repas", "Boîtes à lunch")],
            sectors=["722"],
            impacts=["integration", "local_services"],
            municipality_code="58227",
        ),
        "richelieu": searchable_enterprise(
            "Saveurs du Richelieu",
            offerings=[("traiteur", "Traiteur d'événements")],
            sectors=["722"],
            impacts=["environment"],
            legal_form=Enterprise.LegalForm.COOP_SOLIDARITY,
            municipality_code="56083",
        ),
        "montreal": searchable_enterprise(
            "Traiteur Mosaïque",
            offerings=[("traiteur", "Cuisine du monde")],
            sectors=["722"],
            impacts=["immigrants"],
            legal_form=Enterprise.LegalForm.NONPROFIT,
            municipality_code="66023",
            regions_served=["16"],  # also serves Montérégie
        ),
        "printer": searchable_enterprise(
            "Imprimerie du Fleuve",
            offerings=[("imprimerie", "Affiches")],
            sectors=["323"],
            municipality_code="37067",
        ),
    }


def facet(fs, name) -> dict[str, int]:
    return {value.value: value.count for value in fs.facets()[name]}


def test_a_visitor_finds_caterers_in_monteregie_located_there_or_serving_it(directory):
    results = {e.name for e in filterset("q=traiteur&region=16").qs}

    assert results == {"Traiteur La Cigale", "Saveurs du Richelieu", "Traiteur Mosaïque"}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=traiteur",
        "region=16",
        "q=traiteur&region=16&legal_form=coop_workers",
        "category=alimentation&impact=immigrants",
        "sector=72&municipality=58227",
    ],
)
def test_every_facet_count_is_the_number_of_results_its_value_gives(directory, query):
    fs = filterset(query)
    for name, values in fs.facets().items():
        for value in values:
            data = QueryDict(query, mutable=True)
            data.setlist(name, [value.value])  # the value alone, other filters kept
            expected = EnterpriseFilterSet(data).qs.count()
            assert value.count == expected, (query, name, value)


def test_facet_counts_ignore_their_own_filter_but_follow_the_others(directory):
    fs = filterset("q=traiteur&region=16&legal_form=coop_workers")

    assert facet(fs, "region") == {"16": 1}  # the other regions give no co-op of workers
    assert facet(fs, "legal_form") == {"coop_workers": 1, "coop_solidarity": 1, "nonprofit": 1}
    assert [v.value for v in fs.facets()["region"] if v.selected] == ["16"]


def test_categories_count_their_sub_categories_and_name_their_parent(directory):
    fs = filterset()
    values = {v.value: v for v in fs.facets()["category"]}

    assert values["alimentation"].count == 3
    assert values["alimentation"].parent is None
    assert values["traiteur"].count == 3
    assert values["traiteur"].parent == "alimentation"
    assert values["boites-repas"].count == 1
    assert values["impression"].count == 1


def test_sectors_are_counted_by_sector_and_filter_by_their_subsectors(directory):
    fs = filterset("sector=72")

    assert facet(fs, "sector") == {"72": 3, "31-33": 1}
    assert {e.name for e in fs.qs} == {
        "Traiteur La Cigale",
        "Saveurs du Richelieu",
        "Traiteur Mosaïque",
    }


def test_a_region_counts_enterprises_located_in_or_serving_it(directory):
    assert facet(filterset(), "region") == {"04": 1, "06": 1, "16": 3}


def test_ticking_two_values_of_a_filter_adds_their_results(directory):
    results = {e.name for e in filterset("municipality=58227&municipality=37067").qs}

    assert results == {"Traiteur La Cigale", "Imprimerie du Fleuve"}


def test_a_chosen_value_without_results_is_still_listed(directory):
    region("04")
    values = filterset("q=traiteur&region=04").facets()["region"]

    assert [(v.value, v.count, v.selected) for v in values if v.value == "04"] == [("04", 0, True)]


def test_members_filter_on_their_organization_supplier_file(directory, buyer, organization):
    SupplierRegistrationFactory(enterprise=directory["cigale"], organization=organization)
    SupplierRegistrationFactory(
        enterprise=directory["printer"],
        organization=organization,
        registered_on=timezone.localdate() - timezone.timedelta(days=30),
        withdrawn_on=timezone.localdate() - timezone.timedelta(days=1),
    )
    fs = filterset("registered=true", user=buyer)

    assert [e.name for e in fs.qs] == ["Traiteur La Cigale"]
    assert facet(fs, "registered") == {"true": 1}


def test_an_outsider_does_not_see_another_organization_supplier_file(
    directory, outsider, organization
):
    SupplierRegistrationFactory(enterprise=directory["cigale"], organization=organization)

    assert list(filterset("registered=true", user=outsider).qs) == []


def test_visitors_cannot_filter_on_a_supplier_file(directory):
    fs = filterset("registered=true")

    assert not fs.is_valid()
    assert "registered" in fs.errors
    assert "registered" not in fs.facets()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("region=99", "region"),
        ("municipality=00000", "municipality"),
        ("category=nothing", "category"),
        ("sector=999", "sector"),
        ("legal_form=corporation", "legal_form"),
        ("impact=profit", "impact"),
        ("sort=price", "sort"),
        ("status=gone", "status"),
        ("q=" + "a" * 201, "search"),
    ],
)
def test_an_unknown_filter_value_is_refused_with_a_french_message(directory, query, field):
    fs = filterset(query)

    assert not fs.is_valid()
    message = fs.errors[field][0]
    assert "Sélectionnez un choix valide" in message or "au plus 200 caractères" in message


def test_an_invalid_filter_leaves_the_valid_ones_working(directory):
    fs = filterset("region=99&q=traiteur&legal_form=nonprofit")

    assert [e.name for e in fs.qs] == ["Traiteur Mosaïque"]


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured.captured_queries)


@pytest.mark.parametrize("query", ["q=traiteur&region=16", "", "legal_form=nonprofit"])
def test_every_facet_and_the_number_of_results_take_one_query(directory, buyer, query):
    fs = filterset(query, user=buyer)
    fs.parsed_search  # noqa: B018 - the analysis of the words is a query of its own

    # PostgreSQL first reads the position in its log, which dates the data for the cache;
    # without words or filters it reads the tally of the published directory instead.
    expected = 2 if connection.vendor == "postgresql" and query else 1
    assert _queries(fs.facets) == expected
    assert fs.total_count == fs.qs.count()


@pytest.mark.postgres
def test_facet_counts_are_cached_while_the_data_stays_the_same(directory, monkeypatch):
    # Other databases of the same server move the log too: hold the position still.
    monkeypatch.setattr("directory.filters._POSTGRES_DATA_VERSION", "SELECT 'frozen'")
    first = filterset("q=traiteur").facets()
    again = filterset("q=traiteur")
    again.parsed_search  # noqa: B018 - the analysis of the words is a query of its own

    assert _queries(again.facets) == 1  # the position in the log only
    assert again.facets() == first


@pytest.mark.postgres
def test_facet_counts_follow_a_change_at_once(directory):
    assert facet(filterset("q=traiteur"), "legal_form")["coop_workers"] == 1

    searchable_enterprise("Traiteur Nouveau", offerings=[("traiteur", "Buffets")])

    assert facet(filterset("q=traiteur"), "legal_form")["coop_workers"] == 2
