"""Annual needs: a public, filterable page; officers write and publish them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from procurement.models import AnnualNeed
from tests.factories import CategoryFactory, OrganizationFactory, RegionFactory
from tests.procurement.factories_pages import AnnualNeedFactory, page_text

pytestmark = pytest.mark.django_db

LIST = reverse("procurement:need-list")
CREATE = reverse("procurement:need-create")


def need_data(organization, **overrides):
    data = {
        "organization": organization.pk,
        "fiscal_year": "2026",
        "title": "Entretien ménager des arénas",
        "description": "Trois arénas, cinq jours par semaine.",
        "estimated_value": "120 000",
        "planned_quarter": "3",
        "planned_method": "open",
        "is_published": "on",
    }
    data.update(overrides)
    return data


def test_a_visitor_sees_published_needs_in_french(client, organization):
    AnnualNeedFactory(organization=organization, title="Traiteur des camps de jour")
    AnnualNeedFactory(organization=organization, title="Brouillon secret", is_published=False)

    response = client.get(LIST)

    html = page_text(response)
    assert response.status_code == 200
    assert "Besoins annuels des organisations acheteuses" in html
    assert "Traiteur des camps de jour" in html
    assert "Brouillon secret" not in html
    assert "40\xa0000,00\xa0$" in html
    assert "1 besoin" in html


def test_staff_also_see_their_own_drafts_marked_unpublished(client, buyer, organization):
    AnnualNeedFactory(organization=organization, title="Brouillon interne", is_published=False)
    AnnualNeedFactory(
        organization=OrganizationFactory(name="Autre ville"),
        title="Brouillon d'ailleurs",
        is_published=False,
    )
    client.force_login(buyer)

    html = page_text(client.get(LIST))

    assert "Brouillon interne" in html
    assert "Non publié" in html
    assert "Brouillon d'ailleurs" not in html


def test_needs_are_filtered_by_region_category_year_and_organization(client, organization):
    montreal = RegionFactory(code="06", name="Montréal")
    parent = CategoryFactory(slug="alimentation", name_fr="Alimentation")
    catering = CategoryFactory(slug="traiteur", name_fr="Traiteur", parent=parent)
    other = OrganizationFactory(name="Ville de Laval")
    AnnualNeedFactory(organization=organization, title="Besoin A", region=montreal)
    AnnualNeedFactory(organization=organization, title="Besoin B", category=catering)
    AnnualNeedFactory(organization=organization, title="Besoin C", fiscal_year=2027)
    AnnualNeedFactory(organization=other, title="Besoin D")

    def titles(**params):
        html = page_text(client.get(LIST, params))
        return {
            title for title in ("Besoin A", "Besoin B", "Besoin C", "Besoin D") if title in html
        }

    assert titles(region="06") == {"Besoin A"}
    assert titles(category=parent.pk) == {"Besoin B"}  # a parent category finds its children
    assert titles(fiscal_year=2027) == {"Besoin C"}
    assert titles(organization=other.slug) == {"Besoin D"}
    assert titles(q="besoin b") == {"Besoin B"}


def test_an_invalid_filter_shows_no_result_rather_than_an_error(client, organization):
    AnnualNeedFactory(organization=organization)

    response = client.get(LIST, {"fiscal_year": "deux mille"})

    assert response.status_code == 200
    assert "0 besoin" in page_text(response)


def test_the_needs_page_query_count_does_not_grow_with_the_page(
    client, organization, django_assert_max_num_queries
):
    category = CategoryFactory()
    AnnualNeedFactory(organization=organization, category=category, region=organization.region)
    client.get(LIST)
    with django_assert_max_num_queries(20) as one:
        client.get(LIST)
    for n in range(30):
        AnnualNeedFactory(
            organization=OrganizationFactory(name=f"Ville {n}"),
            category=category,
            region=organization.region,
        )

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(LIST)

    assert "31 besoins" in page_text(response)


def test_a_published_need_has_a_public_page_without_history(client, organization):
    need = AnnualNeedFactory(organization=organization, title="Déneigement des trottoirs")

    html = page_text(client.get(reverse("procurement:need-detail", args=[need.pk])))

    assert "Déneigement des trottoirs" in html
    assert "Historique des modifications" not in html


def test_an_unpublished_need_is_hidden_from_visitors_and_outsiders(client, outsider, organization):
    need = AnnualNeedFactory(organization=organization, is_published=False)
    url = reverse("procurement:need-detail", args=[need.pk])

    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("procurement:need-update", args=[need.pk])).status_code == 404


def test_an_officer_creates_and_publishes_a_need(client, officer, organization):
    client.force_login(officer)

    response = client.post(CREATE, need_data(organization), follow=True)

    need = AnnualNeed.objects.get()
    assert need.is_published
    assert need.published_at is not None
    assert need.estimated_value == Decimal("120000")
    assert need.created_by == officer
    html = page_text(response)
    assert "Le besoin annuel a été enregistré." in html
    assert "Historique des modifications" in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"estimated_value": "-1"}, "Un montant ne peut pas être négatif."),
        ({"fiscal_year": "1850"}, "supérieure ou égale à 2000"),
        ({"planned_quarter": "5"}, "Sélectionnez un choix valide"),
        ({"title": ""}, "Ce champ est obligatoire."),
    ],
)
def test_bad_needs_are_refused_with_a_french_message(
    client, officer, organization, overrides, message
):
    client.force_login(officer)

    response = client.post(CREATE, need_data(organization, **overrides))

    assert message in page_text(response)
    assert not AnnualNeed.objects.exists()


def test_an_officer_edits_and_unpublishes_a_need(client, officer, organization):
    need = AnnualNeedFactory(organization=organization, title="Ancien titre")
    client.force_login(officer)

    client.post(
        reverse("procurement:need-update", args=[need.pk]),
        need_data(organization, title="Nouveau titre", is_published=""),
    )

    need.refresh_from_db()
    assert need.title == "Nouveau titre"
    assert not need.is_published


def test_the_publish_button_toggles_publication(client, officer, organization):
    need = AnnualNeedFactory(organization=organization, is_published=False, published_at=None)
    client.force_login(officer)
    url = reverse("procurement:need-publish", args=[need.pk])

    client.post(url, {"publish": "1"})
    need.refresh_from_db()
    assert need.is_published
    assert need.published_at is not None

    client.post(url, {"publish": "0"})
    need.refresh_from_db()
    assert not need.is_published


def test_an_outsider_cannot_edit_or_unpublish_a_published_need(client, outsider, organization):
    need = AnnualNeedFactory(organization=organization)
    client.force_login(outsider)

    assert client.get(reverse("procurement:need-update", args=[need.pk])).status_code == 403
    response = client.post(reverse("procurement:need-publish", args=[need.pk]), {"publish": "0"})

    assert response.status_code == 403
    need.refresh_from_db()
    assert need.is_published


def test_a_buyer_cannot_create_needs(client, buyer, organization):
    client.force_login(buyer)

    assert client.post(CREATE, need_data(organization)).status_code == 403
    assert not AnnualNeed.objects.exists()
