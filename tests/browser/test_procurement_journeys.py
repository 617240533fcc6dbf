"""Procurement journeys in a real browser: an invitation process from suggestions to award,
the quick direct-award form, an EÉS answering, and an outsider kept out."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from portal.reference.models import Category
from procurement.models import Award, Bid, Invitation, ProcurementProcess
from tests.conftest import PASSWORD
from tests.factories import (
    EnterpriseFactory,
    InvitationFactory,
    OfferingFactory,
    ProcessFactory,
    RepresentativeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Adresse courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("link", name="Mon compte")).to_be_visible()


def caterers(names):
    catering = Category.objects.get(slug="traiteur")
    enterprises = []
    for name in names:
        enterprise = EnterpriseFactory(name=name, email=f"{name.split()[-1].lower()}@coop.example")
        OfferingFactory(enterprise=enterprise, category=catering, name="Repas pour événements")
        enterprises.append(enterprise)
    return enterprises


def test_an_officer_invites_three_suggested_ees_records_two_bids_and_awards_one(
    page, officer, organization
):
    call_command("load_reference_data")
    caterers(["Coop Festin", "Coop Marmite", "Coop Tablée"])
    log_in(page, officer.email)

    # Create the invitation process.
    page.goto("/approvisionnement/")
    page.get_by_role("link", name="Nouveau processus").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nouveau processus d'approvisionnement"
    )
    page.get_by_label(re.compile("^Numéro de référence")).fill("AO-2026-010")
    page.get_by_label(re.compile("^Titre")).fill("Traiteur pour la soirée des bénévoles")
    page.get_by_label(re.compile("^Catégorie")).select_option(
        label="Alimentation et restauration › Service de traiteur"
    )
    page.get_by_label(re.compile("^Mode d'acquisition")).select_option(
        label="Appel d'offres sur invitation"
    )
    page.get_by_label(re.compile("^Valeur estimée")).fill("45 000")
    page.get_by_label(re.compile("^Date de publication")).fill(TODAY.isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le processus a été créé.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Traiteur pour la soirée des bénévoles"
    )
    page.get_by_role("button", name="Ouvrir le processus").click()
    expect(page.get_by_text("Le processus est maintenant « Ouvert ».")).to_be_visible()

    # Invite the three suggested EÉS, one click each.
    page.get_by_role("link", name="EÉS suggérées pour ce processus").click()
    expect(page.get_by_role("status").filter(has_text="3 suggestions")).to_be_visible()
    expect(page.get_by_text("Offre « Service de traiteur »").first).to_be_visible()
    for name in ("Coop Festin", "Coop Marmite", "Coop Tablée"):
        page.get_by_role("button", name=f"Inviter {name}").click()
        expect(page.get_by_text(f"{name} est invitée.")).to_be_visible()
    expect(page.get_by_text("3 fournisseurs invités")).to_be_visible()
    assert len(mail.outbox) == 3

    # Record two bids.
    page.get_by_role("link", name="Retour au processus").click()
    for name, amount in (("Coop Festin", "41 500"), ("Coop Marmite", "43 900,50")):
        page.get_by_role("link", name="Consigner une soumission").click()
        page.get_by_label(re.compile("^Fournisseur")).select_option(label=name)
        page.get_by_label(re.compile("^Montant")).fill(amount)
        page.get_by_role("button", name="Consigner la soumission").click()
        expect(page.get_by_text("La soumission a été consignée.")).to_be_visible()
    bids = page.get_by_role("table", name="Soumissions reçues")
    expect(bids).to_contain_text("41\xa0500,00\xa0$")
    expect(bids).to_contain_text("43\xa0900,50\xa0$")

    # Award the lowest bid.
    page.get_by_role("link", name="Octroyer à Coop Festin").click()
    expect(page.get_by_label(re.compile("^Montant"))).to_have_value("41500.00")
    page.get_by_role("button", name="Octroyer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contrat octroyé à Coop Festin")
    expect(
        page.get_by_text("Oui : premier contrat entre cette organisation et ce fournisseur")
    ).to_be_visible()

    process = ProcurementProcess.objects.get(reference="AO-2026-010")
    assert process.status == ProcurementProcess.Status.AWARDED
    assert Invitation.objects.filter(process=process).count() == 3
    assert Bid.objects.filter(process=process).count() == 2
    award = Award.objects.get(process=process)
    assert (award.enterprise.name, str(award.amount)) == ("Coop Festin", "41500.00")


def test_an_officer_logs_a_direct_award_with_its_justification(page, officer, organization):
    call_command("load_reference_data")
    (supplier,) = caterers(["Coop Festin"])
    supplier.neq = "1140000777"
    supplier.save()
    log_in(page, officer.email)

    page.goto("/approvisionnement/")
    page.get_by_role("navigation", name="Sections de l'approvisionnement").get_by_role(
        "link", name="Gré à gré rapide"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consigner un contrat de gré à gré")
    expect(page.get_by_label(re.compile("^Organisation"))).to_have_value(str(organization.pk))
    page.get_by_label(re.compile("^Fournisseur")).fill("Coop Festin — 1140000777")
    page.get_by_label(re.compile("^Objet de l'achat")).fill("Buffet du conseil municipal")
    page.get_by_label(re.compile("^Montant")).fill("30 000")
    page.get_by_role("button", name="Consigner le contrat de gré à gré").click()

    # Above the invitation threshold: the warning, then the justification field.
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Ce montant demande une justification")
    expect(alert).to_contain_text(re.compile(r"dépasse 25\s?000"))
    justification = page.get_by_label(re.compile("^Justification du gré à gré"))
    expect(justification).to_be_visible()
    justification.fill("Article 8 du règlement de gestion contractuelle : fournisseur unique.")
    page.get_by_role("button", name="Consigner le contrat de gré à gré").click()

    expect(page.get_by_text("Le contrat de gré à gré a été consigné.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contrat octroyé à Coop Festin")
    award = Award.objects.get()
    assert str(award.amount) == "30000.00"
    assert award.process.is_flagged


def test_an_ees_representative_answers_an_invitation(page, organization):
    enterprise = EnterpriseFactory(name="Coop Festin")
    representative = RepresentativeFactory(enterprise=enterprise, user__email="rep@festin.example")
    invitation = InvitationFactory(
        process=ProcessFactory(organization=organization, title="Traiteur du gala"),
        enterprise=enterprise,
    )
    log_in(page, representative.user.email)

    page.goto("/approvisionnement/mes-invitations/")
    row = page.get_by_role("row").filter(has_text="Traiteur du gala")
    expect(row).to_contain_text("Aucune réponse")
    row.get_by_role("button", name=re.compile("^Je suis intéressée")).click()

    expect(page.get_by_text("Votre réponse a été transmise à l'organisation.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Traiteur du gala")).to_contain_text(
        "Intéressée"
    )
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.INTERESTED


def test_an_officer_cannot_see_or_change_another_organizations_records(
    page, outsider, organization
):
    process = ProcessFactory(organization=organization, title="Traiteur confidentiel")
    log_in(page, outsider.email)

    page.goto("/approvisionnement/processus/")
    expect(page.get_by_role("status").filter(has_text="0 processus")).to_be_visible()
    expect(page.get_by_text("Traiteur confidentiel")).to_have_count(0)

    for path in ("", "modifier/", "suggestions/", "soumissions/", "adjudication/"):
        response = page.goto(f"/approvisionnement/processus/{process.pk}/{path}")
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")

    # Even a well-formed post (with the CSRF token) is refused and changes nothing.
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/approvisionnement/processus/{process.pk}/statut/",
        form={"status": "cancelled", "csrfmiddlewaretoken": csrf},
    )
    assert response.status == 404
    process.refresh_from_db()
    assert process.status == ProcurementProcess.Status.OPEN
