"""Process pages: list, create with the threshold check, detail, edit, status buttons."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from procurement.models import Method, ProcurementProcess
from tests.factories import (
    AwardFactory,
    BidFactory,
    CategoryFactory,
    EnterpriseFactory,
    InvitationFactory,
    ProcessFactory,
)
from tests.procurement.factories_pages import page_text

pytestmark = pytest.mark.django_db

CREATE = reverse("procurement:process-create")


def process_data(organization, **overrides):
    data = {
        "organization": organization.pk,
        "reference": "AO-2026-001",
        "title": "Traiteur pour les événements",
        "description": "Repas pour 200 personnes.",
        "method": Method.INVITATION,
        "estimated_value": "45 000,00",
        "published_on": "2026-02-02",
        "closing_on": "2026-02-23",
        "method_justification": "",
    }
    data.update(overrides)
    return data


def detail_url(process):
    return reverse("procurement:process-detail", args=[process.pk])


# --- list -----------------------------------------------------------------------------
def test_the_process_list_shows_only_the_users_organizations_processes(
    client, officer, organization, other_organization
):
    ProcessFactory(organization=organization, title="Traiteur de Longueuil")
    ProcessFactory(organization=other_organization, title="Traiteur de Trois-Rivières")
    client.force_login(officer)

    html = page_text(client.get(reverse("procurement:process-list")))

    assert "Traiteur de Longueuil" in html
    assert "Traiteur de Trois-Rivières" not in html
    assert "1 processus" in html


def test_a_coordinator_sees_every_organizations_processes(
    client, coordinator, organization, other_organization
):
    ProcessFactory(organization=organization, title="Traiteur de Longueuil")
    ProcessFactory(organization=other_organization, title="Traiteur de Trois-Rivières")
    client.force_login(coordinator)

    html = page_text(client.get(reverse("procurement:process-list")))

    assert "Traiteur de Longueuil" in html
    assert "Traiteur de Trois-Rivières" in html


def test_the_process_list_filters_by_method_and_flag(client, officer, organization):
    ProcessFactory(organization=organization, title="Sur invitation", method=Method.INVITATION)
    ProcessFactory(
        organization=organization,
        title="Gré à gré signalé",
        method=Method.DIRECT,
        threshold_warning="Au-delà du seuil",
    )
    client.force_login(officer)

    invitation = client.get(reverse("procurement:process-list"), {"method": "invitation"})
    flagged = client.get(reverse("procurement:process-list"), {"flagged": "on"})

    assert "Sur invitation" in page_text(invitation)
    assert "Gré à gré signalé" not in page_text(invitation)
    assert "Gré à gré signalé" in page_text(flagged)
    assert "Sur invitation" not in page_text(flagged)


def test_the_process_list_makes_as_many_queries_for_one_or_thirty_processes(
    client, officer, organization, django_assert_max_num_queries
):
    ProcessFactory(organization=organization)
    client.force_login(officer)
    client.get(reverse("procurement:process-list"))  # warm the session
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("procurement:process-list"))
    for _ in range(29):
        process = ProcessFactory(organization=organization)
        InvitationFactory(process=process)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("procurement:process-list"))
    assert "25 processus" not in page_text(response)
    assert "30 processus" in page_text(response)


def test_the_process_list_needs_a_login(client):
    response = client.get(reverse("procurement:process-list"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


# --- create ---------------------------------------------------------------------------
def test_an_officer_creates_an_invitation_process(client, officer, organization):
    client.force_login(officer)

    response = client.post(CREATE, process_data(organization))

    process = ProcurementProcess.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(process)
    assert process.organization == organization
    assert process.estimated_value == Decimal("45000.00")
    assert process.created_by == officer
    assert process.status == ProcurementProcess.Status.DRAFT
    assert not process.is_flagged


def test_a_method_that_does_not_fit_the_value_shows_the_warning_and_asks_a_justification(
    client, officer, organization
):
    client.force_login(officer)

    response = client.post(
        CREATE, process_data(organization, method=Method.DIRECT, estimated_value="60000")
    )

    html = page_text(response)
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "Le mode d'acquisition ne correspond pas aux seuils" in html
    assert "atteint ou dépasse 25" in html
    assert "Rédigez une justification pour poursuivre." in html
    assert not ProcurementProcess.objects.exists()


def test_with_a_justification_the_process_is_saved_and_flagged(client, officer, organization):
    client.force_login(officer)

    response = client.post(
        CREATE,
        process_data(
            organization,
            method=Method.DIRECT,
            estimated_value="60000",
            method_justification="Article 12 du règlement de gestion contractuelle.",
        ),
        follow=True,
    )

    process = ProcurementProcess.objects.get()
    assert process.is_flagged
    html = page_text(response)
    assert "Signalé : le mode d'acquisition ne correspond pas aux seuils" in html
    assert "Article 12 du règlement de gestion contractuelle." in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"estimated_value": "-5"}, "Un montant ne peut pas être négatif."),
        ({"estimated_value": "12345678901"}, "Ce montant n'est pas plausible"),
        ({"estimated_value": "beaucoup"}, "Saisissez un montant en dollars"),
        ({"closing_on": "2026-01-01"}, "La date de clôture doit suivre la date de publication."),
        ({"title": ""}, "Ce champ est obligatoire."),
    ],
)
def test_bad_input_gets_a_french_message_and_saves_nothing(
    client, officer, organization, overrides, message
):
    client.force_login(officer)

    response = client.post(CREATE, process_data(organization, **overrides))

    assert response.status_code == 200
    assert message in page_text(response)
    assert not ProcurementProcess.objects.exists()


def test_a_reference_used_twice_in_an_organization_is_refused(client, officer, organization):
    ProcessFactory(organization=organization, reference="AO-2026-001")
    client.force_login(officer)

    response = client.post(CREATE, process_data(organization))

    assert response.status_code == 200
    assert ProcurementProcess.objects.count() == 1


def test_an_officer_cannot_create_a_process_for_another_organization(
    client, officer, other_organization
):
    client.force_login(officer)

    response = client.post(CREATE, process_data(other_organization))

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page_text(response)
    assert not ProcurementProcess.objects.exists()


@pytest.mark.parametrize("role", ["buyer", "manager", "stranger"])
def test_only_officers_and_coordinators_create_processes(client, request, role, organization):
    client.force_login(request.getfixturevalue(role))

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, process_data(organization)).status_code == 403
    assert not ProcurementProcess.objects.exists()


def test_amounts_typed_the_english_way_are_understood(client, officer, organization):
    client.force_login(officer)

    client.post(CREATE, process_data(organization, estimated_value="$45,000.50"))

    assert ProcurementProcess.objects.get().estimated_value == Decimal("45000.50")


# --- detail, edit, status -------------------------------------------------------------
def test_the_detail_shows_invitations_bids_awards_and_the_history(client, officer, organization):
    process = ProcessFactory(organization=organization, title="Traiteur des fêtes")
    enterprise = EnterpriseFactory(name="Coop Les Petits Plats")
    InvitationFactory(process=process, enterprise=enterprise)
    bid = BidFactory(process=process, enterprise=enterprise, amount=Decimal("41000"))
    AwardFactory(process=process, enterprise=enterprise, bid=bid, amount=Decimal("41000"))
    client.force_login(officer)

    html = page_text(client.get(detail_url(process)))

    assert "Traiteur des fêtes" in html
    assert html.count("Coop Les Petits Plats") >= 3
    assert "41\xa0000,00\xa0$" in html
    assert "Historique des modifications" in html
    assert "Nouvelle relation d'affaires" in html


def test_an_outsider_gets_a_404_on_another_organizations_process(client, outsider, organization):
    process = ProcessFactory(organization=organization)
    client.force_login(outsider)

    for name in ("process-detail", "process-update", "process-suggestions", "bid-create"):
        assert client.get(reverse(f"procurement:{name}", args=[process.pk])).status_code == 404
    response = client.post(
        reverse("procurement:process-status", args=[process.pk]), {"status": "cancelled"}
    )
    assert response.status_code == 404
    process.refresh_from_db()
    assert process.status == ProcurementProcess.Status.OPEN


def test_a_buyer_reads_a_process_but_sees_no_buttons_and_cannot_change_it(
    client, buyer, organization
):
    process = ProcessFactory(organization=organization, status=ProcurementProcess.Status.DRAFT)
    client.force_login(buyer)

    html = page_text(client.get(detail_url(process)))
    update = client.get(reverse("procurement:process-update", args=[process.pk]))
    status = client.post(
        reverse("procurement:process-status", args=[process.pk]), {"status": "open"}
    )

    assert process.title in html
    assert "Ouvrir le processus" not in html
    assert update.status_code == 403
    assert status.status_code == 403


def test_status_buttons_move_the_process_draft_open_closed(client, officer, organization):
    process = ProcessFactory(organization=organization, status=ProcurementProcess.Status.DRAFT)
    client.force_login(officer)
    url = reverse("procurement:process-status", args=[process.pk])

    assert "Ouvrir le processus" in page_text(client.get(detail_url(process)))
    client.post(url, {"status": "open"})
    process.refresh_from_db()
    assert process.status == ProcurementProcess.Status.OPEN
    response = client.post(url, {"status": "closed"}, follow=True)
    process.refresh_from_db()
    assert process.status == ProcurementProcess.Status.CLOSED
    assert "Le processus est maintenant « Fermé »." in page_text(response)
    assert "Rouvrir le processus" in page_text(response)


def test_an_illegal_status_move_is_refused_with_a_message(client, officer, organization):
    process = ProcessFactory(organization=organization, status=ProcurementProcess.Status.CANCELLED)
    client.force_login(officer)

    response = client.post(
        reverse("procurement:process-status", args=[process.pk]), {"status": "open"}, follow=True
    )

    process.refresh_from_db()
    assert process.status == ProcurementProcess.Status.CANCELLED
    assert "ne peut pas passer de « Annulé » à « Ouvert »" in page_text(response)


def test_an_officer_edits_a_process_and_the_history_names_the_changed_field(
    client, officer, organization
):
    process = ProcessFactory(organization=organization, title="Ancien titre")
    process.history.update(history_user=officer)
    client.force_login(officer)
    url = reverse("procurement:process-update", args=[process.pk])
    data = process_data(
        organization,
        reference=process.reference,
        title="Nouveau titre",
        estimated_value="50000.00",
        published_on="2025-01-15",
        closing_on="",
    )

    response = client.post(url, data, follow=True)

    process.refresh_from_db()
    assert process.title == "Nouveau titre"
    html = page_text(response)
    assert "Modification" in html
    assert "titre" in html.split("Historique des modifications")[1]
    assert str(officer) in html.split("Historique des modifications")[1]


def test_the_process_form_starts_from_an_annual_need(client, officer, organization):
    from tests.procurement.factories_pages import AnnualNeedFactory

    category = CategoryFactory(name_fr="Traiteur")
    need = AnnualNeedFactory(organization=organization, title="Repas des camps", category=category)
    client.force_login(officer)

    html = page_text(client.get(CREATE, {"need": need.pk}))

    assert 'value="Repas des camps"' in html


def test_the_process_detail_page_dates_are_in_french(client, officer, organization):
    process = ProcessFactory(organization=organization, published_on=dt.date(2025, 3, 4))
    client.force_login(officer)

    assert "4 mars 2025" in page_text(client.get(detail_url(process)))
