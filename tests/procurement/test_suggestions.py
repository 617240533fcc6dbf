"""Suggested EÉS for a process: ranked in the database, with the reasons of the rank."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from procurement.models import Award
from procurement.suggestions import process_words, suggest_enterprises
from tests.factories import (
    AwardFactory,
    CategoryFactory,
    EnterpriseFactory,
    InvitationFactory,
    OfferingFactory,
    ProcessFactory,
    RegionFactory,
    SupplierRegistrationFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def catering():
    parent = CategoryFactory(slug="alimentation", name_fr="Alimentation", name_en="Food")
    return CategoryFactory(
        slug="traiteur", name_fr="Service de traiteur", name_en="Catering", parent=parent
    )


@pytest.fixture
def process(organization, catering):
    return ProcessFactory(
        organization=organization,
        title="Traiteur pour la fête des bénévoles",
        description="",
        category=catering,
        published_on=TODAY - dt.timedelta(days=10),
    )


def offering(name, category, **kwargs):
    enterprise = EnterpriseFactory(name=name, **kwargs)
    OfferingFactory(enterprise=enterprise, category=category, name="Produits divers")
    return enterprise


def names(suggestions):
    return [suggestion.enterprise.name for suggestion in suggestions]


def test_only_verified_ees_are_suggested(process, catering):
    offering("Coop vérifiée", catering)
    offering("Fournisseur ordinaire", catering, supplier_only=True)
    offering("Coop en attente", catering, status="pending")

    assert names(suggest_enterprises(process)) == ["Coop vérifiée"]


def test_an_exact_category_ranks_above_a_related_one(process, catering):
    sibling = CategoryFactory(slug="cafeteria", name_fr="Cafétéria", parent=catering.parent)
    offering("Coop cafétéria", sibling)
    offering("Coop traiteur", catering)

    suggestions = suggest_enterprises(process)

    assert names(suggestions) == ["Coop traiteur", "Coop cafétéria"]
    assert suggestions[0].reasons[0] == "Offre « Service de traiteur »"
    assert suggestions[1].reasons[0] == "Offre une catégorie apparentée"


def test_serving_the_organizations_region_raises_the_rank(process, catering):
    elsewhere = RegionFactory(code="06", name="Montréal")
    far = offering("Coop lointaine", catering, region=elsewhere)
    offering("Coop locale", catering)  # the organization's region (16)
    far.regions_served.add(RegionFactory(code="03", name="Capitale-Nationale"))

    suggestions = suggest_enterprises(process)

    assert names(suggestions) == ["Coop locale", "Coop lointaine"]
    assert "Dessert la région" in suggestions[0].reasons


def test_an_enterprise_serving_the_region_from_elsewhere_counts_as_serving_it(process, catering):
    enterprise = offering("Coop mobile", catering, region=RegionFactory(code="06", name="Mtl"))
    enterprise.regions_served.add(process.organization.region)

    assert "Dessert la région" in suggest_enterprises(process)[0].reasons


def test_words_of_the_process_found_in_the_profile_raise_the_rank(process):
    other = CategoryFactory(slug="evenements")
    plain = EnterpriseFactory(name="Coop générale", description="Services variés.")
    OfferingFactory(enterprise=plain, category=other)
    matching = EnterpriseFactory(name="Coop des bénévoles", description="Traiteurs solidaires.")
    OfferingFactory(enterprise=matching, category=other, keywords="fête, buffet")

    suggestions = suggest_enterprises(process)

    assert names(suggestions) == ["Coop des bénévoles"]  # the other has no reason at all
    assert suggestions[0].matched_words == ["traiteur", "fête", "bénévole"]
    assert "Le profil mentionne : traiteur, fête, bénévole" in suggestions[0].reasons


def test_registration_in_the_supplier_file_raises_the_rank(process, catering, organization):
    offering("Coop A", catering)
    registered = offering("Coop B", catering)
    SupplierRegistrationFactory(enterprise=registered, organization=organization)

    suggestions = suggest_enterprises(process)

    assert names(suggestions) == ["Coop B", "Coop A"]
    assert "Inscrite à votre fichier fournisseurs" in suggestions[0].reasons


def test_a_withdrawn_registration_does_not_count(process, catering, organization):
    offering("Coop A", catering)
    withdrawn = offering("Coop B", catering)
    SupplierRegistrationFactory(
        enterprise=withdrawn,
        organization=organization,
        registered_on=TODAY - dt.timedelta(days=100),
        withdrawn_on=TODAY - dt.timedelta(days=5),
    )

    assert names(suggest_enterprises(process)) == ["Coop A", "Coop B"]


def test_rotation_puts_recently_invited_and_awarded_enterprises_after_the_others(
    process, catering, organization, other_organization
):
    regular = offering("Coop A habituée", catering)
    offering("Coop B nouvelle", catering)
    earlier = ProcessFactory(organization=organization, published_on=TODAY - dt.timedelta(200))
    InvitationFactory(process=earlier, enterprise=regular, invited_on=TODAY - dt.timedelta(100))
    AwardFactory(process=earlier, enterprise=regular, awarded_on=TODAY - dt.timedelta(90))

    suggestions = suggest_enterprises(process)

    assert names(suggestions) == ["Coop B nouvelle", "Coop A habituée"]
    reasons = suggestions[1].reasons
    assert "Invitée 1 fois par votre organisation au cours des 12 derniers mois" in reasons
    assert "1 contrat de votre organisation au cours des 12 derniers mois" in reasons


def test_rotation_ignores_other_organizations_old_records_and_cancelled_awards(
    process, catering, organization, other_organization
):
    a = offering("Coop A", catering)
    offering("Coop B", catering)
    theirs = ProcessFactory(organization=other_organization, published_on=TODAY - dt.timedelta(50))
    InvitationFactory(process=theirs, enterprise=a, invited_on=TODAY - dt.timedelta(40))
    old = ProcessFactory(organization=organization, published_on=TODAY - dt.timedelta(800))
    InvitationFactory(process=old, enterprise=a, invited_on=TODAY - dt.timedelta(700))
    AwardFactory(
        process=old,
        enterprise=a,
        awarded_on=TODAY - dt.timedelta(30),
        status=Award.Status.CANCELLED,
    )

    suggestions = suggest_enterprises(process)

    assert names(suggestions) == ["Coop A", "Coop B"]  # by name: same score
    assert suggestions[0].score == suggestions[1].score


def test_enterprises_already_invited_are_not_suggested_again(process, catering):
    invited = offering("Coop invitée", catering)
    offering("Coop à inviter", catering)
    InvitationFactory(process=process, enterprise=invited, invited_on=TODAY)

    assert names(suggest_enterprises(process)) == ["Coop à inviter"]


def test_the_region_alone_is_not_a_reason_to_suggest(process):
    EnterpriseFactory(name="Coop du coin", description="Rien à voir.")

    assert suggest_enterprises(process) == []


def test_suggestions_are_limited(process, catering):
    for n in range(5):
        offering(f"Coop {n}", catering)

    assert len(suggest_enterprises(process, limit=3)) == 3


def test_ranking_is_one_query_whatever_the_number_of_enterprises(
    process, catering, django_assert_num_queries
):
    for n in range(30):
        offering(f"Coop {n}", catering)
    # PostgreSQL asks once whether pg_trgm is installed.
    expected = 2 if connection.vendor == "postgresql" else 1

    with django_assert_num_queries(expected):
        suggestions = suggest_enterprises(process)
        [suggestion.enterprise.region.name for suggestion in suggestions]

    assert len(suggestions) == 20


def test_process_words_drop_short_and_common_words_and_plurals():
    process = ProcessFactory.build(
        title="Services de traiteurs pour les fêtes", description="Achat d'une collation."
    )

    assert process_words(process) == ["traiteur", "fête", "collation"]


@pytest.mark.postgres
def test_on_postgresql_trigram_similarity_forgives_a_typo(process, organization):
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    other = CategoryFactory(slug="autre")
    enterprise = EnterpriseFactory(name="Coop Bouffe", description="Traiteur solidaire")
    OfferingFactory(enterprise=enterprise, category=other)
    process.category = None
    process.title = "Service de traitteur"  # the typo
    process.save()

    suggestions = suggest_enterprises(process)

    assert names(suggestions) == ["Coop Bouffe"]
    assert suggestions[0].enterprise.score > 0


def test_a_score_adds_the_points_of_each_reason(process, catering, organization):
    enterprise = offering("Coop traiteur", catering)
    SupplierRegistrationFactory(enterprise=enterprise, organization=organization)

    suggestion = suggest_enterprises(process)[0]

    # category 4 + region 2 + words ("traiteur" in the category name? no: profile only) + file 2
    assert suggestion.score == pytest.approx(8.0 + len(suggestion.matched_words))
    assert Decimal(str(suggestion.score)) > 0
