"""Journey: a call, two EÉS apply, one is kept; the cohort's figures and portfolio PDF show it."""

import datetime
import re
import zlib

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_initiatives import apply, log_in, log_out
from tests.factories import EnterpriseFactory, RepresentativeFactory, UserFactory
from tests.initiatives.factories import CohortFactory, InitiativeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def pdf_contains(pdf: bytes, text: str) -> bool:
    """Whether a PDF holds `text` (no PDF reader is installed): WeasyPrint writes headings as
    bookmarks, as PDF strings in UTF-16 (often hex), inside compressed object streams."""
    chunks = [pdf]
    for stream in STREAM.findall(pdf):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    utf16 = text.encode("utf-16-be")
    needles = [text.encode(), utf16, utf16.hex().encode(), utf16.hex().upper().encode()]
    return any(needle in chunk for chunk in chunks for needle in needles)


def test_the_kept_ees_shows_in_the_cohort_figures_and_its_portfolio_pdf(page):
    UserFactory(email="coord@example.org", is_coordinator=True)
    initiative = InitiativeFactory(name="L'économie sociale, j'achète!", coordinating_body="CESIM")
    today = timezone.localdate()
    cohort = CohortFactory(
        initiative=initiative,
        name="Troisième cohorte",
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=365),
    )
    for email, name in (
        ("rep@traiteur.example", "Coopérative Traiteur Solidaire"),
        ("rep@menage.example", "Entretien Ménager Coop"),
    ):
        RepresentativeFactory(user__email=email, enterprise=EnterpriseFactory(name=name))

    log_in(page, "coord@example.org")
    page.goto(f"/initiatives/cohortes/{cohort.pk}/")
    page.get_by_role("link", name="Ouvrir un appel d'intérêt").click()
    page.get_by_label("Ouverture le").fill(today.isoformat())
    page.get_by_label("Clôture le").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Ouvrir l'appel").click()
    expect(page.get_by_text("L'appel d'intérêt est ouvert.")).to_be_visible()
    call_url = page.url
    log_out(page)

    apply(page, call_url, "rep@traiteur.example", "Nous servons déjà deux écoles.")
    apply(page, call_url, "rep@menage.example", "Nous voulons entrer dans les hôpitaux.")

    log_in(page, "coord@example.org")
    page.goto(call_url)
    page.get_by_role("link", name="Examiner les candidatures").click()
    page.get_by_role("link", name="Coopérative Traiteur Solidaire").click()
    page.get_by_label("Volonté de développer les marchés institutionnels (pondération 3)").fill("5")
    page.get_by_label(
        "Adéquation de l'offre avec la demande des institutions (pondération 2)"
    ).fill("4")
    page.get_by_label("Capacité à répondre aux besoins (pondération 2)").fill("4")
    page.get_by_role("button", name="Enregistrer les notes").click()
    expect(page.get_by_text("Les notes ont été enregistrées.")).to_be_visible()
    page.get_by_label("Retenir : l'entreprise se joint à la cohorte").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("2 candidatures, 1 retenue(s).")).to_be_visible()

    # The cohort's results in figures count the kept EÉS, and only it.
    page.goto(f"/initiatives/cohortes/{cohort.pk}/")
    results = page.get_by_role("table", name=re.compile("Résultats de la cohorte en chiffres"))
    expect(results.get_by_role("row", name=re.compile("EÉS participantes"))).to_be_visible()

    def shown(code):
        return results.locator(f'tr[data-code="{code}"] td').first

    expect(shown("ees_published")).to_have_text("1")
    expect(shown("organizations_with_ees_contract_share")).to_have_text("0")
    expect(shown("ees_contracts")).to_have_text("0")

    # Its export and its portfolio PDF.
    csv = page.request.get(f"/indicateurs/cohorte/{cohort.pk}/export.csv")
    assert csv.ok
    assert "ees_published" in csv.text()
    pdf = page.request.get(f"/initiatives/cohortes/{cohort.pk}/portfolio.pdf")
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF")
    assert pdf_contains(pdf.body(), "Coopérative Traiteur Solidaire")
    assert not pdf_contains(pdf.body(), "Entretien Ménager Coop")
