"""Journey: a coordinator opens a call, two EÉS apply, one is kept; cohort page and portfolio."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.factories import EnterpriseFactory, RepresentativeFactory, UserFactory
from tests.initiatives.factories import CohortFactory, InitiativeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Adresse courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()


def apply(page, call_url, email, answer):
    log_in(page, email)
    page.goto(call_url)
    page.get_by_role("link", name="Postuler à cet appel").click()
    for label in (
        "Volonté de développer les marchés institutionnels",
        "Adéquation de l'offre avec la demande des institutions",
        "Capacité à répondre aux besoins",
    ):
        page.get_by_label(label).fill(answer)
    page.get_by_role("button", name="Envoyer la candidature").click()
    expect(page.get_by_text("Votre candidature a été envoyée.")).to_be_visible()
    log_out(page)


def test_a_coordinator_opens_a_call_two_ees_apply_and_one_is_kept(page):
    UserFactory(email="coord@example.org", is_coordinator=True)
    initiative = InitiativeFactory(name="L'économie sociale, j'achète!", coordinating_body="CESIM")
    cohort = CohortFactory(initiative=initiative, name="Deuxième cohorte")
    RepresentativeFactory(
        user__email="rep@traiteur.example",
        enterprise=EnterpriseFactory(
            name="Coopérative Traiteur Solidaire", mission="Nourrir la communauté."
        ),
    )
    RepresentativeFactory(
        user__email="rep@menage.example",
        enterprise=EnterpriseFactory(name="Entretien Ménager Coop"),
    )
    today = timezone.localdate()

    # The coordinator opens the call with the seeds' three criteria.
    log_in(page, "coord@example.org")
    page.goto(f"/initiatives/cohortes/{cohort.pk}/")
    page.get_by_role("link", name="Ouvrir un appel d'intérêt").click()
    page.get_by_label("Ouverture le").fill(today.isoformat())
    page.get_by_label("Clôture le").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Ouvrir l'appel").click()
    expect(page.get_by_text("L'appel d'intérêt est ouvert.")).to_be_visible()
    call_url = page.url
    log_out(page)

    # Two EÉS apply from their accounts.
    apply(page, call_url, "rep@traiteur.example", "Nous servons déjà deux écoles.")
    apply(page, call_url, "rep@menage.example", "Nous voulons entrer dans les hôpitaux.")

    # The coordinator scores the first application and keeps it.
    log_in(page, "coord@example.org")
    page.goto(call_url)
    page.get_by_role("link", name="Examiner les candidatures").click()
    expect(page.get_by_text("2 candidatures, 0 retenue(s).")).to_be_visible()
    page.get_by_role("link", name="Coopérative Traiteur Solidaire").click()
    page.get_by_label("Volonté de développer les marchés institutionnels (pondération 3)").fill("5")
    page.get_by_label(
        "Adéquation de l'offre avec la demande des institutions (pondération 2)"
    ).fill("4")
    page.get_by_label("Capacité à répondre aux besoins (pondération 2)").fill("4")
    page.get_by_role("button", name="Enregistrer les notes").click()
    expect(page.get_by_text("Les notes ont été enregistrées.")).to_be_visible()
    expect(page.get_by_text("88,6 %")).to_be_visible()  # (15 + 8 + 8) / 35
    page.get_by_label("Retenir : l'entreprise se joint à la cohorte").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("2 candidatures, 1 retenue(s).")).to_be_visible()

    # The call's public page counts them; the cohort page lists the kept EÉS only.
    page.goto(call_url)
    expect(page.get_by_text("entreprises ont postulé")).to_be_visible()
    expect(page.locator(".figures li").nth(0)).to_contain_text("2")
    expect(page.locator(".figures li").nth(1)).to_have_text("1 entreprise retenue")
    page.goto(f"/initiatives/cohortes/{cohort.pk}/")
    participants = page.get_by_role("table", name="Entreprises d'économie sociale participantes")
    expect(participants).to_contain_text("Coopérative Traiteur Solidaire")
    expect(participants).not_to_contain_text("Entretien Ménager Coop")

    # Its portfolio shows the kept EÉS, on screen and as a PDF.
    page.get_by_role("link", name="Portfolio des EÉS").click()
    expect(
        page.get_by_role("heading", level=2, name="Coopérative Traiteur Solidaire")
    ).to_be_visible()
    expect(page.get_by_text("Nourrir la communauté.")).to_be_visible()
    pdf = page.request.get(f"/initiatives/cohortes/{cohort.pk}/portfolio.pdf")
    assert pdf.ok
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_a_buyer_takes_a_training_module_with_the_keyboard(page):
    from tests.factories import MembershipFactory
    from tests.initiatives.factories import module_with_questions

    MembershipFactory(user__email="acheteuse@example.org", role="buyer")
    module = module_with_questions(2, title_fr="Module d'essai : acheter auprès des EÉS")

    log_in(page, "acheteuse@example.org")
    page.goto("/initiatives/formation/")
    page.get_by_role("link", name="Module d'essai : acheter auprès des EÉS").click()
    for question in module.questions.order_by("position"):
        correct = question.choices.get(is_correct=True)
        page.get_by_label(correct.text_fr).check()
    page.get_by_role("button", name="Vérifier mes réponses").press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Réussi : 2 bonnes réponses sur 2")
    page.goto("/initiatives/formation/")
    expect(page.get_by_text("Terminé")).to_be_visible()
