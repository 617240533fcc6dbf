"""French full-text search: accents, case, plurals, typos, ranking and who sees what.

These run on SQLite and on PostgreSQL (DATABASE_URL), which search differently.
"""

import pytest
from django.db import connection
from django.http import QueryDict

from directory.filters import EnterpriseFilterSet
from directory.models import Enterprise
from directory.search import (
    build_search_document,
    filter_matching,
    parse_query,
    refresh_search_documents,
)
from tests.directory.factories_public import searchable_enterprise

pytestmark = pytest.mark.django_db


def names(query: str, user=None, **params) -> list[str]:
    data = QueryDict(mutable=True)
    data["q"] = query
    for key, value in params.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    request = type("Request", (), {"user": user})() if user else None
    return [e.name for e in EnterpriseFilterSet(data, request=request).qs]


@pytest.fixture
def caterer():
    return searchable_enterprise(
        "Traiteur La Cigale, coopérative de travail",
        offerings=[("traiteur", "Buffets chauds et froids", "réception, lunch")],
        description="Une entreprise de l'économie sociale qui cuisine local.",
    )


@pytest.fixture
def printer():
    return searchable_enterprise(
        "Imprimerie Solidaire",
        offerings=[("imprimerie", "Cartes d'affaires et affiches")],
        description="Impression écoresponsable.",
        legal_form=Enterprise.LegalForm.NONPROFIT,
        municipality_code="66023",
    )


@pytest.mark.parametrize(
    "query",
    ["traiteur", "Traiteur", "TRAITEUR", "traiteurs", "tratieur", "traitur", "Traîteur"],
)
def test_caterers_are_found_whatever_the_case_accents_plural_or_a_typo(query, caterer, printer):
    assert names(query) == [caterer.name]


@pytest.mark.parametrize("query", ["economie", "Économie", "ECONOMIE", "économies"])
def test_economie_finds_economie_with_or_without_accents(query, caterer, printer):
    assert names(query) == [caterer.name]


@pytest.mark.parametrize("query", ["cooperative", "coopérative", "Coopératives", "cooperatives"])
def test_cooperative_finds_cooperatives(query, caterer, printer):
    assert names(query) == [caterer.name]


def test_english_words_find_categories_too(caterer, printer):
    assert names("catering") == [caterer.name]


def test_every_word_must_match(caterer, printer):
    assert names("traiteur montérégie") == [caterer.name]
    assert names("traiteur montréal") == []


def test_a_typo_is_reported_with_the_word_searched_instead(caterer):
    parsed = parse_query("tratieur")

    assert [(c.typed, c.suggested) for c in parsed.corrections] == [("tratieur", "traiteur")]
    assert parse_query("traiteur").corrections == ()


def test_a_known_word_is_not_widened_by_similar_ones(caterer):
    searchable_enterprise(
        "Traitement de données fictif", offerings=[("imprimerie", "Saisie de documents")]
    )

    assert names("traiteur") == [caterer.name]


def test_a_word_nobody_uses_finds_nothing(caterer, printer):
    assert names("xylophone") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("brassicole", "À la Fût coop de travail brassicole"),
        ("fût", "À la Fût coop de travail brassicole"),  # a French stop word, but a name
        ("orchestre symphonique", "L'orchestre symphonique de Trois-Rivières inc."),
        ("symphonie", "L'orchestre symphonique de Trois-Rivières inc."),
        ("origami", "Maison Origami, coopérative de solidarité"),
        ("cooperative de solidarite", "Maison Origami, coopérative de solidarité"),
        ("habitation place soleil", "Coopérative d'habitation Place Soleil de Trois-Rivières"),
        ("origmai", "Maison Origami, coopérative de solidarité"),
    ],
)
def test_real_enterprise_names_are_found(query, expected):
    # Names from the Pôle d'économie sociale de la Mauricie's directory (test data only).
    for name in [
        "À la Fût coop de travail brassicole",
        "L'orchestre symphonique de Trois-Rivières inc.",
        "Coopérative d'habitation Place Soleil de Trois-Rivières",
        "Maison Origami, coopérative de solidarité",
    ]:
        searchable_enterprise(name, municipality_code="37067", description="")

    assert names(query)[:1] == [expected]


def test_a_stop_word_inside_a_name_does_not_match_inside_other_words():
    searchable_enterprise("Été durable", description="")
    searchable_enterprise("Vêtements de travail", description="")

    assert names("été") == ["Été durable"]


def test_name_matches_come_before_offering_matches_before_description_matches():
    in_description = searchable_enterprise(
        "Aaa Cuisine collective", description="Nous dépannons les traiteurs du quartier."
    )
    in_offering = searchable_enterprise(
        "Bbb Boîtes à lunch", offerings=[("traiteur", "Traiteur pour réunions")], description=""
    )
    in_name = searchable_enterprise("Zzz Traiteur du Fleuve", description="")

    assert names("traiteur") == [in_name.name, in_offering.name, in_description.name]


def test_without_words_results_are_sorted_by_name_ignoring_accents_and_case():
    for name in ["Zèbre coop", "école du bois", "Érable rouge", "abeille solidaire"]:
        searchable_enterprise(name)

    assert names("") == ["abeille solidaire", "école du bois", "Érable rouge", "Zèbre coop"]


def test_newest_first_on_request():
    first = searchable_enterprise("Première coop")
    second = searchable_enterprise("Deuxième coop")

    assert names("", sort="newest") == [second.name, first.name]


def test_visitors_see_only_verified_published_enterprises(caterer, coordinator):
    searchable_enterprise(
        "Traiteur en attente", offerings=[("traiteur", "Buffets")], status="pending"
    )
    searchable_enterprise(
        "Traiteur non publié",
        offerings=[("traiteur", "Buffets")],
        is_published=False,
        publication_consent_at=None,
    )

    assert names("traiteur") == [caterer.name]
    assert sorted(names("traiteur", user=coordinator)) == sorted(
        [caterer.name, "Traiteur en attente", "Traiteur non publié"]
    )


def test_the_search_document_holds_names_offerings_and_the_rest_in_sections(caterer):
    names_part, offerings_part, rest = build_search_document(caterer).split("\f")

    assert "Traiteur La Cigale" in names_part
    assert caterer.neq in names_part
    assert "Buffets chauds et froids" in offerings_part
    assert "Service de traiteur" in offerings_part
    assert "économie sociale" in rest
    assert "Longueuil" in rest
    assert "Montérégie" in rest


def test_documents_are_rebuilt_in_bulk(caterer, printer):
    Enterprise.objects.update(search_document="")

    assert refresh_search_documents([caterer.pk, printer.pk]) == 2
    assert names("traiteur") == [caterer.name]


def test_html_in_a_name_is_searched_as_text():
    searchable_enterprise("<b>Coop</b> Gras & Cie", description="")

    assert names("gras") == ["<b>Coop</b> Gras & Cie"]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("traiteur", "directory_enterprise_search_idx"),
        ("fût", "directory_enterprise_name_trgm_idx"),  # a stop word: names as typed
    ],
)
def test_postgresql_matches_through_the_gin_indexes(caterer, query, index):
    matching = filter_matching(Enterprise.objects.all(), parse_query(query))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is read whole otherwise
        plan = matching.explain()

    assert index in plan


@pytest.mark.postgres
def test_postgresql_keeps_the_weighted_vector_in_step_with_the_document(caterer):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM directory_enterprise WHERE id = %s", [caterer.pk]
        )
        vector = cursor.fetchone()[0]

    assert "'cigal':3A" in vector  # the name, accents folded and stemmed, weight A
    assert "'buffet'" in vector
    assert "B" in vector.split("'buffet':")[1].split(" ")[0]
