import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.directory.factories_public import searchable_enterprise
from tests.factories import ManagerContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory():
    cigale = searchable_enterprise(
        "Traiteur La Cigale",
        offerings=[("traiteur", "Buffets chauds et froids", "réception")],
        mission="Des buffets préparés par des personnes en insertion.",
    )
    ManagerContactFactory(enterprise=cigale, name="Josée Directrice")
    searchable_enterprise(
        "Traiteur Mosaïque", offerings=[("traiteur", "Cuisine du monde")], municipality_code="66023"
    )
    searchable_enterprise("Imprimerie du Fleuve", offerings=[("imprimerie", "Affiches")])
    return cigale


def test_a_visitor_finds_a_caterer_in_monteregie_and_opens_its_profile(page, directory):
    page.goto("/")
    page.get_by_label("Que cherchez-vous?").fill("traiteur")
    page.get_by_role("button", name="Rechercher").click()

    results = page.get_by_role("heading", level=2, name=re.compile("entreprises?$"))
    expect(results).to_have_text("2 entreprises")
    page.locator("#facet-region").get_by_label(re.compile("Montérégie")).check()

    expect(results).to_have_text("1 entreprise")
    expect(page).to_have_url(re.compile(r"region=16"))
    expect(page.get_by_role("link", name="Traiteur Mosaïque")).to_have_count(0)
    page.get_by_role("link", name="Traiteur La Cigale").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Traiteur La Cigale")
    expect(page.get_by_text("Buffets chauds et froids")).to_be_visible()
    expect(page.get_by_text("Josée Directrice")).to_have_count(0)
    expect(page.locator('script[type="application/ld+json"]')).to_have_count(1)


def test_a_typo_still_finds_the_caterer_and_says_what_was_searched(page, directory):
    page.goto("/annuaire/")
    page.get_by_label("Que cherchez-vous?").fill("tratieur")
    page.get_by_label("Que cherchez-vous?").press("Enter")

    expect(page.get_by_role("status")).to_contain_text("tratieur → traiteur")
    expect(page.get_by_role("link", name="Traiteur La Cigale")).to_be_visible()


def test_a_buyer_signs_in_and_sees_the_managers_contacts(page, directory, buyer):
    page.goto(f"/annuaire/{directory.slug}/")
    page.locator("#managers").get_by_role("link", name="Se connecter").click()
    page.get_by_label("Adresse courriel").fill("bob@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Traiteur La Cigale")
    expect(page.get_by_text("Josée Directrice")).to_be_visible()
