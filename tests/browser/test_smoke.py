import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_sees_french_home_switches_to_english_and_logs_in(page, officer):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr-CA")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Acheter auprès des entreprises d'économie sociale"
    )

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-CA")
    expect(page.get_by_role("heading", level=1)).to_have_text("Buy from social-economy enterprises")

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("E-mail address").fill("alice@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_text("Ville de Longueuil")).to_be_visible()


def test_keyboard_user_reaches_main_content_through_the_skip_link(page):
    page.goto("/")
    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Aller au contenu principal")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
