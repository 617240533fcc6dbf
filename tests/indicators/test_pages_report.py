"""The printable accountability report (reddition de comptes)."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from tests.factories import OrganizationFactory
from tests.indicators.factories_pages import (  # noqa: F401 (fixture)
    YEAR_2024,
    YEAR_2025,
    fresh_cache,
    write_snapshot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_manager_prints_the_yearly_accountability_report(client, manager, organization):
    organization.commitment_signed_on = dt.date(2024, 5, 2)
    organization.commitment_signatory = "Catherine Fournier, mairesse"
    organization.save()
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(manager)

    response = client.get(
        reverse("indicators:organization-report", args=[organization.pk]), {"year": 2025}
    )

    assert response.status_code == 200
    page = text(response)
    assert "<h1>Rapport de reddition de comptes, 2025</h1>" in page
    assert "Signée le 2 mai 2024 par Catherine Fournier, mairesse" in page
    assert "Résultats en chiffres" in page
    assert "EÉS par mode d'approvisionnement" in page
    assert "Personnes rejointes par type d'activité" in page
    assert page.count('role="img"') == 5
    assert "<details>" not in page  # every table is printed open
    assert "css/print.css" in page
    assert "css/indicators.css" in page
    assert "40\xa0000,00\xa0$" in page


def test_the_platform_report_breaks_spend_down_by_organization(client, coordinator):
    named = OrganizationFactory(name="Ville de Belle-Rive")
    write_snapshot(scopes=[None, named.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(coordinator)

    response = client.get(reverse("indicators:platform-report"), {"year": 2025})

    page = text(response)
    assert response.status_code == 200
    assert "EÉS par organisation" in page
    assert '<th scope="row">Ville de Belle-Rive</th>' in page


@pytest.mark.parametrize("actor", ["outsider", "stranger"])
def test_an_outsider_cannot_read_another_organizations_report(client, organization, actor, request):
    client.force_login(request.getfixturevalue(actor))

    response = client.get(reverse("indicators:organization-report", args=[organization.pk]))

    assert response.status_code == 403


def test_only_coordinators_read_the_platform_report(client, manager):
    client.force_login(manager)

    assert client.get(reverse("indicators:platform-report")).status_code == 403


def test_a_report_for_an_inverted_range_is_a_400(client, manager, organization):
    client.force_login(manager)

    response = client.get(
        reverse("indicators:organization-report", args=[organization.pk]),
        {"kind": "custom", "start": "2025-12-01", "end": "2025-11-01"},
    )

    assert response.status_code == 400
    assert "La date de fin doit être égale ou postérieure" in text(response)
