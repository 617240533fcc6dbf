"""Journeys of the members' side: an EÉS registers and is verified; limits and bad input."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from directory.models import Enterprise
from tests.conftest import PASSWORD
from tests.factories import EnterpriseFactory, RepresentativeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DATA = Path(__file__).resolve().parent.parent / "directory" / "data"


def log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Adresse courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def log_out(page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()


def test_an_ees_registers_a_coordinator_verifies_it_and_it_appears_in_search(page, coordinator):
    call_command("load_reference_data")

    # A representative creates an account from the login page.
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Créer un compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")
    page.get_by_label("Adresse courriel").fill("josee@paniers.example")
    page.get_by_label("Nom complet").fill("Josée Tremblay")
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill("des-paniers-bio-2026")
    page.get_by_label("Mot de passe (confirmation)").fill("des-paniers-bio-2026")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez vos courriels")

    # She confirms her address through the e-mailed link.
    link = re.search(r"https?://\S+/confirmer/\S+/", mail.outbox[-1].body)[0]
    page.goto(link)
    page.get_by_role("button", name="Activer mon compte").click()
    expect(page.get_by_text("Votre adresse courriel est confirmée.")).to_be_visible()

    # Step 1: identity.
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscrire une entreprise")
    page.get_by_label("NEQ").fill("2240 000 123")
    page.get_by_label("Nom légal").fill("Coopérative Paniers solidaires")
    page.get_by_label("Forme juridique").select_option(label="Coopérative de solidarité")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # Step 2: location and contact.
    expect(page.get_by_role("heading", level=2)).to_contain_text("Lieu et coordonnées")
    page.get_by_label(re.compile(r"^Adresse\W*$")).fill("12, rue des Érables")
    page.get_by_label("Municipalité").select_option(label="Longueuil — Montérégie")
    page.get_by_label("Code postal").fill("j4k 2t1")
    page.locator("#id_email").fill("info@paniers.example")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # Step 3: offerings and sectors.
    expect(page.get_by_role("heading", level=2)).to_contain_text("Offre et secteurs")
    page.get_by_label("Mission").fill("Des repas sains livrés à vélo.")
    page.get_by_label("72 — Services d'hébergement et de restauration", exact=True).check()
    page.locator("#id_offre-0-name").fill("Boîtes-repas pour réunions")
    page.locator("#id_offre-0-category").select_option(
        label="Alimentation et restauration › Service de traiteur"
    )
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # Step 4: impacts.
    page.get_by_label("Création d’emplois").check()
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # Step 5: consent and submission.
    page.get_by_label("Je consens à la publication de ce profil dans le répertoire public.").check()
    page.get_by_role("button", name="Envoyer pour vérification").click()
    expect(page.get_by_text("L’équipe de coordination vérifiera")).to_be_visible()
    expect(page.get_by_text("En attente de vérification")).to_be_visible()
    log_out(page)

    # Not public yet.
    page.goto("/annuaire/?q=paniers")
    expect(page.get_by_role("link", name="Coopérative Paniers solidaires")).to_have_count(0)

    # The coordinator verifies it from the queue.
    log_in(page, coordinator.email)
    page.goto("/annuaire/verification/")
    page.get_by_role("link", name="Coopérative Paniers solidaires").click()
    page.get_by_role("button", name="Approuver : c’est une entreprise d’économie sociale").click()
    expect(page.get_by_text("Coopérative Paniers solidaires est vérifiée.")).to_be_visible()
    assert "Vérifiée" in mail.outbox[-1].body
    log_out(page)

    # A visitor finds it.
    page.goto("/annuaire/?q=paniers")
    expect(page.get_by_role("link", name="Coopérative Paniers solidaires")).to_be_visible()
    enterprise = Enterprise.objects.get(neq="2240000123")
    assert enterprise.is_published
    assert enterprise.publication_consent_by.email == "josee@paniers.example"


def test_a_representative_cannot_open_another_enterprise_profile_for_editing(page):
    mine = RepresentativeFactory(user__email="josee@paniers.example", enterprise__name="Mienne")
    other = EnterpriseFactory(name="Coop voisine")

    log_in(page, "josee@paniers.example")
    page.goto(f"/annuaire/mon-entreprise/{mine.enterprise_id}/modifier/identite/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Identité")

    response = page.goto(f"/annuaire/mon-entreprise/{other.pk}/modifier/identite/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    other.refresh_from_db()
    assert other.name == "Coop voisine"


def test_a_bad_csv_imports_nothing_and_says_why_line_by_line(page, coordinator):
    call_command("load_reference_data")
    log_in(page, coordinator.email)
    page.goto("/annuaire/import/")

    page.get_by_label("Fichier CSV").set_input_files(DATA / "bad-rows.csv")
    page.get_by_role("button", name="Vérifier le fichier").click()

    expect(page.get_by_role("alert")).to_contain_text("rien n’a été importé")
    problems = page.get_by_role("table", name="Problèmes, ligne par ligne")
    expect(problems.get_by_role("row")).to_have_count(12)  # header + 11 problems
    expect(problems).to_contain_text("Ce NEQ figure déjà à la ligne 2.")
    expect(page.get_by_role("button", name="Confirmer l’importation")).to_have_count(0)
    assert not Enterprise.objects.exists()


def test_a_good_csv_is_checked_then_imported(page, coordinator):
    call_command("load_reference_data")
    log_in(page, coordinator.email)
    page.goto("/annuaire/import/")

    page.get_by_label("Fichier CSV").set_input_files(DATA / "semicolon.csv")
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("heading", name=re.compile("Essai à blanc"))).to_be_visible()
    assert not Enterprise.objects.exists()

    page.get_by_role("button", name="Confirmer l’importation").click()

    expect(page.get_by_role("heading", name=re.compile("Importation terminée"))).to_be_visible()
    assert Enterprise.objects.count() == 2
