"""Invitations (one-click from the suggestions), bids and awards recorded from the pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from procurement.models import Award, Bid, Invitation, Method, ProcurementProcess
from tests.factories import (
    AwardFactory,
    BidFactory,
    CategoryFactory,
    EnterpriseFactory,
    InvitationFactory,
    OfferingFactory,
    ProcessFactory,
    RepresentativeFactory,
)
from tests.procurement.factories_pages import page_text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def process(organization):
    return ProcessFactory(
        organization=organization,
        title="Traiteur pour le gala",
        method=Method.INVITATION,
        published_on=TODAY - dt.timedelta(days=3),
        closing_on=TODAY + dt.timedelta(days=20),
        status=ProcurementProcess.Status.OPEN,
    )


def url(name, process):
    return reverse(f"procurement:{name}", args=[process.pk])


# --- suggestions and one-click invitations --------------------------------------------
def test_the_suggestions_page_lists_ees_with_their_reasons_and_an_invite_button(
    client, officer, process
):
    category = CategoryFactory(name_fr="Service de traiteur")
    process.category = category
    process.save()
    OfferingFactory(enterprise=EnterpriseFactory(name="Coop Festin"), category=category)
    client.force_login(officer)

    html = page_text(client.get(url("process-suggestions", process)))

    assert "Coop Festin" in html
    assert "Offre « Service de traiteur »" in html
    assert 'aria-label="Inviter Coop Festin"' in html
    assert "1 suggestion" in html


def test_one_click_invites_the_enterprise_and_emails_it(
    client, officer, process, django_capture_on_commit_callbacks
):
    enterprise = EnterpriseFactory(name="Coop Festin", email="bonjour@festin.example")
    RepresentativeFactory(enterprise=enterprise, user__email="rep@festin.example")
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("process-invite-suggested", process), {"enterprise": enterprise.pk}, follow=True
        )

    invitation = Invitation.objects.get()
    assert invitation.enterprise == enterprise
    assert invitation.invited_on == TODAY
    assert invitation.created_by == officer
    assert "Coop Festin est invitée." in page_text(response)
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["bonjour@festin.example", "rep@festin.example"]


def test_inviting_twice_gets_a_clear_message_and_no_duplicate(client, officer, process):
    enterprise = EnterpriseFactory(name="Coop Festin")
    InvitationFactory(process=process, enterprise=enterprise, invited_on=TODAY)
    client.force_login(officer)

    response = client.post(
        url("process-invite-suggested", process), {"enterprise": enterprise.pk}, follow=True
    )

    assert Invitation.objects.count() == 1
    assert "Cette entreprise est déjà invitée à ce processus." in page_text(response)


def test_a_buyer_sees_suggestions_without_invite_buttons_and_cannot_invite(client, buyer, process):
    category = CategoryFactory()
    process.category = category
    process.save()
    enterprise = EnterpriseFactory(name="Coop Festin")
    OfferingFactory(enterprise=enterprise, category=category)
    client.force_login(buyer)

    html = page_text(client.get(url("process-suggestions", process)))
    response = client.post(url("process-invite-suggested", process), {"enterprise": enterprise.pk})

    assert "Coop Festin" in html
    assert "Inviter Coop Festin" not in html
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_an_outsider_cannot_invite_to_another_organizations_process(client, outsider, process):
    enterprise = EnterpriseFactory()
    client.force_login(outsider)

    response = client.post(url("process-invite-suggested", process), {"enterprise": enterprise.pk})
    form = client.post(url("invitation-create", process), {"supplier": enterprise.name})

    assert response.status_code == 404
    assert form.status_code == 404
    assert not Invitation.objects.exists()


def test_suppliers_are_not_invited_to_a_public_tender(client, officer, process):
    process.method = Method.OPEN
    process.save()
    enterprise = EnterpriseFactory()
    client.force_login(officer)

    response = client.post(
        url("process-invite-suggested", process), {"enterprise": enterprise.pk}, follow=True
    )

    assert "on n'y invite pas de fournisseurs" in page_text(response)
    assert not Invitation.objects.exists()


# --- invitation form ------------------------------------------------------------------
def test_an_officer_invites_any_supplier_by_name_or_neq(client, officer, process):
    supplier = EnterpriseFactory(
        name="Traiteur Ordinaire inc.", neq="1170000001", supplier_only=True
    )
    client.force_login(officer)

    response = client.post(
        url("invitation-create", process),
        {"supplier": "Traiteur Ordinaire inc. — 1170000001", "invited_on": TODAY.isoformat()},
    )

    assert response.status_code == 302
    assert Invitation.objects.get().enterprise == supplier


@pytest.mark.parametrize(
    ("supplier", "message"),
    [
        ("Personne", "Aucune entreprise ne correspond à « Personne »."),
        ("1170 000 999", "Aucune entreprise n'a le NEQ 1170000999."),
        ("Coop", "Plusieurs entreprises correspondent à « Coop »"),
        ("", "Ce champ est obligatoire."),
    ],
)
def test_an_unknown_or_ambiguous_supplier_gets_a_clear_message(
    client, officer, process, supplier, message
):
    EnterpriseFactory(name="Coop Un")
    EnterpriseFactory(name="Coop Deux")
    client.force_login(officer)

    response = client.post(url("invitation-create", process), {"supplier": supplier})

    assert response.status_code == 200
    assert message in page_text(response)
    assert not Invitation.objects.exists()


def test_an_invitation_dated_before_the_publication_is_refused(client, officer, process):
    enterprise = EnterpriseFactory(name="Coop Festin")
    client.force_login(officer)

    response = client.post(
        url("invitation-create", process),
        {"supplier": "Coop Festin", "invited_on": (TODAY - dt.timedelta(days=30)).isoformat()},
    )

    assert "Une invitation ne peut pas précéder la date de publication" in page_text(response)
    assert not Invitation.objects.filter(enterprise=enterprise).exists()


# --- bids -----------------------------------------------------------------------------
def test_on_an_invitation_tender_only_invited_suppliers_are_offered(client, officer, process):
    invited = EnterpriseFactory(name="Coop Invitée")
    EnterpriseFactory(name="Coop Pas Invitée")
    InvitationFactory(process=process, enterprise=invited, invited_on=TODAY)
    client.force_login(officer)

    html = page_text(client.get(url("bid-create", process)))

    assert "Coop Invitée" in html
    assert "Coop Pas Invitée" not in html


def test_an_officer_records_a_bid(client, officer, process):
    invited = EnterpriseFactory(name="Coop Invitée")
    InvitationFactory(process=process, enterprise=invited, invited_on=TODAY)
    client.force_login(officer)

    response = client.post(
        url("bid-create", process),
        {"supplier": invited.pk, "submitted_on": TODAY.isoformat(), "amount": "41 250,50"},
        follow=True,
    )

    bid = Bid.objects.get()
    assert bid.amount == Decimal("41250.50")
    assert bid.created_by == officer
    assert "La soumission a été consignée." in page_text(response)


def test_a_bid_from_a_non_invited_supplier_is_refused(client, officer, process):
    stranger = EnterpriseFactory(name="Coop Pas Invitée")
    client.force_login(officer)

    response = client.post(
        url("bid-create", process),
        {"supplier": stranger.pk, "submitted_on": TODAY.isoformat(), "amount": "1000"},
    )

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page_text(response)
    assert not Bid.objects.exists()


def test_a_bid_after_the_award_is_refused(client, officer, process):
    invited = EnterpriseFactory(name="Coop Invitée")
    winner = EnterpriseFactory(name="Coop Gagnante")
    InvitationFactory(process=process, enterprise=invited, invited_on=TODAY - dt.timedelta(2))
    AwardFactory(process=process, enterprise=winner, awarded_on=TODAY - dt.timedelta(days=1))
    client.force_login(officer)

    response = client.post(
        url("bid-create", process),
        {"supplier": invited.pk, "submitted_on": TODAY.isoformat(), "amount": "1000"},
    )

    assert "Une soumission ne peut pas être datée après l'adjudication" in page_text(response)
    assert not Bid.objects.exists()


def test_a_negative_bid_is_refused(client, officer, process):
    invited = EnterpriseFactory()
    InvitationFactory(process=process, enterprise=invited, invited_on=TODAY)
    client.force_login(officer)

    response = client.post(
        url("bid-create", process),
        {"supplier": invited.pk, "submitted_on": TODAY.isoformat(), "amount": "-1"},
    )

    assert "Un montant ne peut pas être négatif." in page_text(response)
    assert not Bid.objects.exists()


def test_on_a_public_tender_any_supplier_can_bid_by_name(client, officer, process):
    process.method = Method.OPEN
    process.save()
    supplier = EnterpriseFactory(name="Entretien Général inc.", supplier_only=True)
    client.force_login(officer)

    client.post(
        url("bid-create", process),
        {"supplier": "entretien général", "submitted_on": TODAY.isoformat(), "amount": "99000"},
    )

    assert Bid.objects.get().enterprise == supplier


# --- awards ---------------------------------------------------------------------------
def test_awarding_a_bid_creates_the_award_and_closes_the_process(client, officer, process):
    supplier = EnterpriseFactory(name="Coop Gagnante")
    InvitationFactory(process=process, enterprise=supplier, invited_on=TODAY)
    bid = BidFactory(
        process=process, enterprise=supplier, submitted_on=TODAY, amount=Decimal("39000")
    )
    client.force_login(officer)

    form = page_text(client.get(url("award-create", process), {"bid": bid.pk}))
    response = client.post(
        url("award-create", process),
        {"bid": bid.pk, "awarded_on": TODAY.isoformat(), "amount": "39000", "status": "active"},
        follow=True,
    )

    assert 'value="39000.00"' in form
    award = Award.objects.get()
    assert (award.enterprise, award.bid, award.amount) == (supplier, bid, Decimal("39000"))
    process.refresh_from_db()
    assert process.status == ProcurementProcess.Status.AWARDED
    assert "Contrat octroyé à Coop Gagnante" in page_text(response)


def test_an_award_needs_a_bid_or_a_supplier(client, officer, process):
    client.force_login(officer)

    response = client.post(
        url("award-create", process), {"awarded_on": TODAY.isoformat(), "amount": "1000"}
    )

    assert "Choisissez une soumission retenue ou indiquez le fournisseur." in page_text(response)
    assert not Award.objects.exists()


def test_an_award_on_a_cancelled_process_is_refused(client, officer, process):
    supplier = EnterpriseFactory(name="Coop Gagnante")
    process.status = ProcurementProcess.Status.CANCELLED
    process.save()
    client.force_login(officer)

    response = client.post(
        url("award-create", process),
        {"supplier": "Coop Gagnante", "awarded_on": TODAY.isoformat(), "amount": "1000"},
    )

    assert "Ce processus est annulé." in page_text(response)
    assert not Award.objects.filter(enterprise=supplier).exists()


def test_an_award_dated_before_the_publication_is_refused(client, officer, process):
    EnterpriseFactory(name="Coop Gagnante")
    client.force_login(officer)

    response = client.post(
        url("award-create", process),
        {
            "supplier": "Coop Gagnante",
            "awarded_on": (TODAY - dt.timedelta(days=40)).isoformat(),
            "amount": "1000",
        },
    )

    assert "L'adjudication ne peut pas précéder la date de publication." in page_text(response)
    assert not Award.objects.exists()


def test_a_buyer_cannot_record_bids_or_awards(client, buyer, process):
    client.force_login(buyer)

    assert client.get(url("bid-create", process)).status_code == 403
    assert client.post(url("award-create", process), {}).status_code == 403
    assert client.post(url("invitation-create", process), {}).status_code == 403
