"""An axe-core audit of the main pages, in French and in English: no serious or critical
violation. axe.min.js comes with axe-playwright-python and is injected locally, no CDN."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

from portal.accounts.models import Membership
from tests.directory.factories_public import searchable_enterprise
from tests.factories import ManagerContactFactory, MembershipFactory, UserFactory
from tests.indicators.factories_pages import YEAR_2024, YEAR_2025, write_snapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
RESULT = "a[href='/annuaire/traiteur-la-cigale/']"
BLOCKING = {"serious", "critical"}


def violations_of(page) -> list[str]:
    results = AXE.run(page)
    assert len(results.response["passes"]) > 10, "axe checked (almost) nothing"
    return [
        f"{rule['impact']} {rule['id']}: {rule['help']} — "
        + "; ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
        for rule in results.response["violations"]
        if rule["impact"] in BLOCKING
    ]


def audit(browser, live_server, path: str, shows: str, user=None) -> dict[str, list[str]]:
    """The violations of `path` in each language, as `user` (a visitor when None); the page
    must show `shows` (a CSS selector), so the real page is audited, not an empty state."""
    found = {}
    for language, locale in (("fr-ca", "fr-CA"), ("en", "en-CA")):
        context = browser.new_context(locale=locale, base_url=live_server.url)
        host = live_server.url.split("//")[1].split(":")[0]
        cookies = [{"name": "portal_language", "value": language, "domain": host, "path": "/"}]
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies["sessionid"].value
            cookies.append({"name": "sessionid", "value": session, "domain": host, "path": "/"})
        context.add_cookies(cookies)
        page = context.new_page()
        page.set_default_timeout(15_000)
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        expected_lang = "en-CA" if language == "en" else "fr-CA"
        assert page.locator("html").get_attribute("lang") == expected_lang
        assert page.locator(shows).count() > 0, f"{path} shows no {shows}"
        found[language] = violations_of(page)
        context.close()
    return {language: rules for language, rules in found.items() if rules}


@pytest.fixture
def caterer():
    cigale = searchable_enterprise(
        "Traiteur La Cigale",
        offerings=[("traiteur", "Buffets chauds et froids", "réception")],
        mission="Des buffets préparés par des personnes en insertion.",
    )
    ManagerContactFactory(enterprise=cigale, name="Josée Directrice")
    searchable_enterprise("Traiteur Mosaïque", offerings=[("traiteur", "Cuisine du monde")])
    return cigale


def test_the_home_page_has_no_serious_violation(browser, live_server):
    assert audit(browser, live_server, "/", "form[role=search] input") == {}


def test_a_search_with_results_has_no_serious_violation(browser, live_server, caterer):
    assert audit(browser, live_server, "/annuaire/?q=traiteur", RESULT) == {}


def test_an_enterprise_profile_has_no_serious_violation(browser, live_server, caterer, buyer):
    path = f"/annuaire/{caterer.slug}/"
    assert audit(browser, live_server, path, "h1") == {}
    assert audit(browser, live_server, path, "h1", user=buyer) == {}


def test_the_sign_up_page_has_no_serious_violation(browser, live_server):
    assert audit(browser, live_server, "/annuaire/inscription/compte/", "input[type=email]") == {}


def test_the_registration_form_has_no_serious_violation(browser, live_server):
    representative = UserFactory(email="josee@paniers.example")
    assert (
        audit(browser, live_server, "/annuaire/inscription/", "select", user=representative) == {}
    )


def test_the_process_form_has_no_serious_violation(browser, live_server, officer):
    assert (
        audit(browser, live_server, "/approvisionnement/processus/nouveau/", "form select", officer)
        == {}
    )


def test_the_dashboard_has_no_serious_violation(browser, live_server, organization):
    manager = MembershipFactory(organization=organization, role=Membership.Role.MANAGER).user
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    path = f"/indicateurs/organisation/{organization.pk}/?year=2025"
    assert audit(browser, live_server, path, "svg[role=img] title", user=manager) == {}


def test_the_report_has_no_serious_violation(browser, live_server, organization):
    manager = MembershipFactory(organization=organization, role=Membership.Role.MANAGER).user
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    path = f"/indicateurs/organisation/{organization.pk}/rapport/?year=2025"
    assert audit(browser, live_server, path, "svg[role=img] title", user=manager) == {}
