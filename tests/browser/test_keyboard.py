"""Keyboard-only journeys: search with a facet, and sign-up then the first registration step.

Only `keyboard.press` and `keyboard.type` act on the page; the DOM is read to know where the
focus is and that it is visible. Tab order follows the page, Enter submits.
"""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from directory.models import Enterprise
from tests.directory.factories_public import searchable_enterprise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return {
    tag: el.tagName.toLowerCase(),
    name: (label || el.getAttribute("aria-label") || el.innerText || el.value || "").trim(),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, name: str | re.Pattern, *, limit: int = 60) -> dict:
    """Press Tab until the focused element's label or text is `name` (a required marker
    may follow); it must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        pattern = name if isinstance(name, re.Pattern) else re.compile(rf"^{re.escape(name)}\W*$")
        if pattern.search(element["name"]):
            assert element["outline"] or element["shadow"], f"no visible focus on {element}"
            return element
    raise AssertionError(f"{name!r} is not reachable with Tab")


def test_a_visitor_searches_and_opens_a_profile_with_the_keyboard_only(page):
    searchable_enterprise(
        "Traiteur La Cigale",
        offerings=[("traiteur", "Buffets chauds et froids", "réception")],
        mission="Des buffets préparés par des personnes en insertion.",
    )
    searchable_enterprise(
        "Traiteur Mosaïque", offerings=[("traiteur", "Cuisine du monde")], municipality_code="66023"
    )
    searchable_enterprise("Imprimerie du Fleuve", offerings=[("imprimerie", "Affiches")])
    page.goto("/")

    # The first Tab reaches the skip link, shown on focus; Enter jumps to the content.
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Aller au contenu principal"
    expect(page.get_by_role("link", name="Aller au contenu principal")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))

    assert tab_to(page, "Que cherchez-vous?", limit=3)["tag"] == "input"
    page.keyboard.type("traiteur")
    page.keyboard.press("Enter")

    results = page.get_by_role("heading", level=2, name=re.compile("entreprises?$"))
    expect(results).to_have_text("2 entreprises")

    # A facet is a checkbox: Space ticks it and the results follow.
    assert tab_to(page, re.compile("^Montérégie"))["tag"] == "input"
    page.keyboard.press("Space")
    expect(results).to_have_text("1 entreprise")
    expect(page).to_have_url(re.compile(r"region=16"))

    tab_to(page, "Traiteur La Cigale")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Traiteur La Cigale")


def test_a_representative_signs_up_and_starts_a_registration_with_the_keyboard_only(page):
    call_command("load_reference_data")
    page.goto("/annuaire/inscription/compte/")

    tab_to(page, "Adresse courriel")
    page.keyboard.type("josee@paniers.example")
    page.keyboard.press("Tab")
    assert focused(page)["name"].startswith("Nom complet")
    page.keyboard.type("Josée Tremblay")
    tab_to(page, re.compile(r"^Mot de passe\W*$"), limit=3)
    page.keyboard.type("des-paniers-bio-2026")
    tab_to(page, "Mot de passe (confirmation)", limit=3)
    page.keyboard.type("des-paniers-bio-2026")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez vos courriels")

    # The e-mailed link is opened, then the account activated from the keyboard.
    page.goto(re.search(r"https?://\S+/confirmer/\S+/", mail.outbox[-1].body)[0])
    tab_to(page, "Activer mon compte")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Votre adresse courriel est confirmée.")).to_be_visible()

    # Step 1: a select is chosen by typing, then Enter from a text field submits.
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscrire une entreprise")
    tab_to(page, "Forme juridique")
    page.keyboard.type("Coopérative de sol")
    tab_to(page, "NEQ")
    page.keyboard.type("2240000123")
    tab_to(page, "Nom légal")
    page.keyboard.type("Coopérative Paniers solidaires")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=2)).to_contain_text("Lieu et coordonnées")
    enterprise = Enterprise.objects.get(neq="2240000123")
    assert enterprise.name == "Coopérative Paniers solidaires"
    assert enterprise.legal_form == Enterprise.LegalForm.COOP_SOLIDARITY
