"""What keeps the directory's search fast at 100 000 enterprises, checked as behaviour: the
words are matched once for every facet, a page sorts narrow rows before reading its rows in
full, the weighted vector stays in the row, and the page and API take a fixed number of
queries. The benchmark's hand-written SQL is checked to do the same work as the portal."""

import pytest
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.search import listing_sql, search_sql
from directory.filters import CountedResults, EnterpriseFilterSet, with_listing_relations
from tests.directory.factories_public import searchable_enterprise

pytestmark = pytest.mark.django_db

URL = reverse("directory:index")
LIST = "/api/enterprises/"


def filterset(query: str) -> EnterpriseFilterSet:
    return EnterpriseFilterSet(QueryDict(query), request=None)


@pytest.fixture
def caterers():
    """Seven caterers in Montérégie (one serving it from Montréal) and a printer."""
    made = [
        searchable_enterprise(
            f"Traiteur {name}",
            offerings=[("traiteur", "Buffets")],
            sectors=["722"],
            impacts=["integration"],
            description="",
        )
        for name in ["Azur", "Bleu", "Cigale", "Dune", "Écume", "Fleuve"]
    ]
    made.append(
        searchable_enterprise(
            "Saveurs du monde",
            offerings=[("traiteur", "Traiteur d'événements"), ("boites-repas", "Boîtes")],
            sectors=["722"],
            municipality_code="66023",
            regions_served=["16"],
            description="",
        )
    )
    made.append(
        searchable_enterprise(
            "Imprimerie du Fleuve", offerings=[("imprimerie", "Affiches")], sectors=["323"]
        )
    )
    return made


def page_names(query: str, number: int, size: int) -> list[str]:
    return [e.name for e in Paginator(filterset(query).results(), size).page(number)]


@pytest.mark.parametrize("first_ids", [100, 4])  # pages past the first ids sort on their own
def test_pages_keep_the_order_of_the_whole_list(caterers, first_ids, monkeypatch):
    monkeypatch.setattr("directory.filters.FIRST_IDS", first_ids)
    whole = [enterprise.name for enterprise in filterset("q=traiteur").qs]

    pages = [page_names("q=traiteur", number, 3) for number in (1, 2, 3)]
    assert pages[0] + pages[1] + pages[2] == whole
    assert whole[0].startswith("Traiteur")  # names before offerings
    assert whole[-1] == "Saveurs du monde"


def test_the_first_page_by_relevance_comes_with_the_facets(caterers):
    fs = filterset("q=traiteur")
    fs.facets()
    with CaptureQueriesContext(connection) as captured:
        names = [enterprise.name for enterprise in fs.results()[0:3]]

    assert names == [enterprise.name for enterprise in fs.qs[:3]]
    assert "LIMIT" not in captured.captured_queries[0]["sql"]  # the page's ids were known


def test_pages_in_name_order_ignore_accents_and_case(caterers):
    # Imprimerie, Saveurs, Traiteur Azur | Bleu, Cigale, Dune | Écume, Fleuve
    assert page_names("region=16", 2, 3) == ["Traiteur Bleu", "Traiteur Cigale", "Traiteur Dune"]
    assert page_names("region=16", 3, 3) == ["Traiteur Écume", "Traiteur Fleuve"]


def test_a_page_reads_only_its_rows_and_not_the_search_document(caterers):
    fs = filterset("q=traiteur")
    results = CountedResults(with_listing_relations(fs.qs), fs.total_count)
    with CaptureQueriesContext(connection) as captured:
        page = list(results[0:2])

    assert "LIMIT 2" in captured.captured_queries[0]["sql"]  # the page's ids, in a subquery
    assert [enterprise.name for enterprise in page] == [e.name for e in fs.qs[:2]]
    assert all("search_document" in e.get_deferred_fields() for e in page)


def test_the_words_are_matched_once_for_every_facet_in_use(caterers):
    fs = filterset("q=traiteur&region=16&sector=722")
    fs.parsed_search  # noqa: B018 - the analysis of the words is a query of its own
    with CaptureQueriesContext(connection) as captured:
        fs.facets()

    statement = captured.captured_queries[-1]["sql"]
    assert statement.count('FROM "directory_enterprise" ') == 1
    assert fs.total_count == fs.qs.count() == 7


def test_facets_in_use_still_count_over_the_other_filters(caterers):
    fs = filterset("q=traiteur&region=16&sector=72")
    facets = fs.facets()

    regions = {value.value: value.count for value in facets["region"]}
    sectors = {value.value: value.count for value in facets["sector"]}
    assert regions == {"06": 1, "16": 7}  # the region filter aside: Montréal's caterer too
    assert sectors == {"72": 7}  # the sector includes its subsector 722


def test_a_filter_joining_a_table_is_kept_as_a_subquery(caterers):
    fs = filterset("q=traiteur&category=boites-repas&legal_form=coop_workers")

    assert fs.total_count == fs.qs.count() == 1


@pytest.mark.postgres
def test_postgresql_keeps_the_weighted_vector_in_the_row():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute"
            " WHERE attrelid = 'directory_enterprise'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone()[0] == "m"  # MAIN: compressed in the row before TOAST


def _visitor_queries(client, url, params) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured.captured_queries)


# The analysis of the words, the position in the log (PostgreSQL), the facets and the
# number of results, the page, and its four prefetched relations (the API's list).
EXPECTED_QUERIES = 8 if connection.vendor == "postgresql" else 7


def test_the_search_page_takes_a_fixed_number_of_queries(client, caterers):
    params = {"q": "traiteur", "region": "16", "sector": "722"}
    client.get(URL, params)  # sessions, translations and content types are loaded once

    # The page shows the offerings of its results, not their sectors, regions or impacts.
    assert _visitor_queries(client, URL, params) == EXPECTED_QUERIES - 3 + 2  # the two filters


def test_the_api_takes_a_fixed_number_of_queries(api_client, caterers):
    params = {"search": "traiteur", "region": "16", "sector": "722"}
    api_client.get(LIST, params)

    assert _visitor_queries(api_client, LIST, params) == EXPECTED_QUERIES + 2


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("query", "words", "filters"),
    [("q=traiteur&region=16&sector=72", "traiteur", True), ("", "", False)],
)
def test_the_benchmark_sql_does_the_same_work_as_the_portal(caterers, query, words, filters):
    fs = filterset(query)
    facets = fs.facets()
    statement = search_sql(text=words, region=filters, sector=filters) if query else listing_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            statement,
            {"text": words, "region": "16", "sector": "72", "limit": 20},
        )
        total, categories, subcategories, regions, *_rest, page = cursor.fetchone()

    assert total == fs.total_count
    assert dict(regions) == {
        next(v.label for v in facets["region"] if v.value == code): count
        for code, count in ((v.value, v.count) for v in facets["region"])
    }
    assert dict(categories + (subcategories or [])) == {
        value.value: value.count for value in facets["category"]
    }
    assert [row["enterprise"]["name"] for row in page] == [e.name for e in fs.qs[:20]]
