"""Organization pages: public, with the commitment declaration and published needs."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.procurement.factories_pages import AnnualNeedFactory, days_ago, page_text

pytestmark = pytest.mark.django_db


def page_url(organization, name="organization-detail"):
    return reverse(f"procurement:{name}", args=[organization.slug])


def test_a_visitor_sees_the_commitment_declaration_and_published_needs(client, organization):
    organization.commitment_signed_on = dt.date(2024, 5, 14)
    organization.commitment_signatory = "Catherine Fournier, mairesse"
    organization.save()
    AnnualNeedFactory(organization=organization, title="Traiteur des camps de jour")
    AnnualNeedFactory(organization=organization, title="Brouillon", is_published=False)

    html = page_text(client.get(page_url(organization)))

    assert "<h1>Ville de Longueuil</h1>" in html
    assert "Signée le 14 mai 2024 par Catherine Fournier, mairesse." in html
    assert "Traiteur des camps de jour" in html
    assert "Brouillon" not in html
    assert "Pour le personnel de l'organisation" not in html


def test_an_organization_without_declaration_says_so(client, organization):
    html = page_text(client.get(page_url(organization)))

    assert "Cette organisation n'a pas encore signé de déclaration d'engagement." in html


def test_the_organization_list_is_public(client, organization, other_organization):
    html = page_text(client.get(reverse("procurement:organization-list")))

    assert "Ville de Longueuil" in html
    assert "Ville de Trois-Rivières" in html


def test_a_manager_records_the_commitment_declaration(client, manager, organization):
    client.force_login(manager)

    response = client.post(
        page_url(organization, "organization-commitment"),
        {"commitment_signed_on": "2025-09-01", "commitment_signatory": "Le conseil municipal"},
        follow=True,
    )

    organization.refresh_from_db()
    assert organization.commitment_signed_on == dt.date(2025, 9, 1)
    assert "Signée le 1 septembre 2025 par Le conseil municipal." in page_text(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"commitment_signed_on": "2025-09-01", "commitment_signatory": ""},
            "Une déclaration d'engagement signée doit avoir un ou une signataire.",
        ),
        (
            {"commitment_signed_on": "2999-01-01", "commitment_signatory": "X"},
            "La déclaration ne peut pas être signée dans le futur.",
        ),
    ],
)
def test_a_bad_declaration_is_refused(client, manager, organization, data, message):
    client.force_login(manager)

    response = client.post(page_url(organization, "organization-commitment"), data)

    assert message in page_text(response)
    organization.refresh_from_db()
    assert organization.commitment_signed_on is None


def test_officers_and_outsiders_cannot_record_the_declaration(
    client, officer, outsider, organization
):
    for user in (officer, outsider):
        client.force_login(user)
        response = client.post(
            page_url(organization, "organization-commitment"),
            {"commitment_signed_on": days_ago(1).isoformat(), "commitment_signatory": "X"},
        )
        assert response.status_code == 403
    organization.refresh_from_db()
    assert organization.commitment_signed_on is None
