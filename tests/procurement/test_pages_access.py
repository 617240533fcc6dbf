"""Every procurement page: who reaches it (visitor, staff, coordinator) and that it renders."""

import pytest
from django.urls import reverse

from tests.factories import (
    ActivityFactory,
    AwardFactory,
    BidFactory,
    BusinessContactFactory,
    EnterpriseFactory,
    InvitationFactory,
    ProcessFactory,
)
from tests.procurement.factories_pages import AnnualNeedFactory, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(organization, officer):
    process = ProcessFactory(organization=organization)
    enterprise = EnterpriseFactory()
    InvitationFactory(process=process, enterprise=enterprise)
    bid = BidFactory(process=process, enterprise=enterprise)
    activity = ActivityFactory(created_by=officer)
    return {
        "process": process,
        "bid": bid,
        "award": AwardFactory(process=process, enterprise=enterprise, bid=bid),
        "need": AnnualNeedFactory(organization=organization),
        "activity": activity,
        "contact": BusinessContactFactory(
            organization=organization, enterprise=enterprise, activity=activity
        ),
    }


def public_urls(records, organization):
    return [
        reverse("procurement:need-list"),
        reverse("procurement:need-detail", args=[records["need"].pk]),
        reverse("procurement:organization-list"),
        reverse("procurement:organization-detail", args=[organization.slug]),
        reverse("procurement:toolkit"),
        reverse("procurement:toolkit-entry", args=["clause-lots-reserves"]),
    ]


def staff_urls(records):
    process = records["process"].pk
    return [
        reverse("procurement:index"),
        reverse("procurement:need-create"),
        reverse("procurement:need-update", args=[records["need"].pk]),
        reverse("procurement:process-list"),
        reverse("procurement:process-create"),
        reverse("procurement:process-detail", args=[process]),
        reverse("procurement:process-update", args=[process]),
        reverse("procurement:process-suggestions", args=[process]),
        reverse("procurement:invitation-create", args=[process]),
        reverse("procurement:bid-create", args=[process]),
        reverse("procurement:award-create", args=[process]) + f"?bid={records['bid'].pk}",
        reverse("procurement:award-list"),
        reverse("procurement:award-detail", args=[records["award"].pk]),
        reverse("procurement:direct-award"),
        reverse("procurement:cumulative"),
        reverse("procurement:activity-list"),
        reverse("procurement:activity-create"),
        reverse("procurement:activity-detail", args=[records["activity"].pk]),
        reverse("procurement:activity-update", args=[records["activity"].pk]),
        reverse("procurement:contact-list"),
        reverse("procurement:contact-create"),
        reverse("procurement:contact-detail", args=[records["contact"].pk]),
    ]


def test_a_visitor_reaches_the_public_pages_only(client, records, organization):
    for url in public_urls(records, organization):
        response = client.get(url)
        assert response.status_code == 200, url
        assert page_text(response).count("<h1") == 1, url
    for url in [*staff_urls(records), reverse("procurement:my-invitations")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("role", ["officer", "coordinator"])
def test_every_page_renders_for_officers_and_coordinators(
    client, request, role, records, organization
):
    client.force_login(request.getfixturevalue(role))

    for url in [*public_urls(records, organization), *staff_urls(records)]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = page_text(response)
        assert html.count("<h1") == 1, url
        assert 'lang="fr-CA"' in html


def test_coordinators_reach_the_management_pages(client, coordinator, organization):
    client.force_login(coordinator)

    for url in (
        reverse("procurement:toolkit-create"),
        reverse("procurement:toolkit-update", args=["clause-lots-reserves"]),
        reverse("procurement:organization-commitment", args=[organization.slug]),
    ):
        assert client.get(url).status_code == 200, url


def test_the_staff_home_lists_the_latest_processes_with_quick_links(
    client, officer, organization, other_organization
):
    ProcessFactory(organization=organization, title="Traiteur du gala")
    ProcessFactory(organization=other_organization, title="Processus d'ailleurs")
    client.force_login(officer)

    html = page_text(client.get(reverse("procurement:index")))

    assert "Traiteur du gala" in html
    assert "Processus d'ailleurs" not in html
    assert "Consigner un contrat de gré à gré" in html
    assert "Nouveau processus" in html


def test_a_representative_home_points_to_their_invitations(client, stranger):
    from tests.factories import RepresentativeFactory

    RepresentativeFactory(user=stranger)
    client.force_login(stranger)

    html = page_text(client.get(reverse("procurement:index")))

    assert "Mes invitations, soumissions et contrats" in html
    assert "Derniers processus" not in html


def test_an_outsider_gets_404_on_every_record_of_another_organization(client, outsider, records):
    process, award, contact = records["process"].pk, records["award"].pk, records["contact"].pk
    client.force_login(outsider)
    gets = [
        reverse("procurement:process-detail", args=[process]),
        reverse("procurement:process-update", args=[process]),
        reverse("procurement:process-suggestions", args=[process]),
        reverse("procurement:invitation-create", args=[process]),
        reverse("procurement:bid-create", args=[process]),
        reverse("procurement:award-create", args=[process]),
        reverse("procurement:award-detail", args=[award]),
        reverse("procurement:contact-detail", args=[contact]),
    ]
    posts = [
        reverse("procurement:process-status", args=[process]),
        reverse("procurement:process-invite-suggested", args=[process]),
        reverse("procurement:invitation-create", args=[process]),
        reverse("procurement:bid-create", args=[process]),
        reverse("procurement:award-create", args=[process]),
        reverse("procurement:award-cancel", args=[award]),
        reverse("procurement:award-activate", args=[award]),
    ]

    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"status": "cancelled"}).status_code == 404, url
    records["process"].refresh_from_db()
    records["award"].refresh_from_db()
    assert records["process"].status == "open"
    assert records["award"].status == "active"


def test_an_outsider_cannot_record_a_contact_for_another_organization(
    client, outsider, organization
):
    from procurement.models import BusinessContact

    EnterpriseFactory(name="Coop Rencontrée")
    client.force_login(outsider)

    response = client.post(
        reverse("procurement:contact-create"),
        {"organization": organization.pk, "supplier": "Coop Rencontrée", "date": "2025-01-10"},
    )

    assert "Sélectionnez un choix valide" in page_text(response)
    assert not BusinessContact.objects.exists()
