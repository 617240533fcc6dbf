"""From a search, buyers export the results or print them as a portfolio."""

import pytest

from tests.directory.factories_public import searchable_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def caterer():
    return searchable_enterprise(
        "Traiteur La Cigale", offerings=[("traiteur", "Buffets chauds")], neq="1140000011"
    )


@pytest.fixture
def printer():
    return searchable_enterprise(
        "Imprimerie Solidaire", offerings=[("impression", "Affiches")], neq="1140000012"
    )


def test_staff_get_an_export_link_that_keeps_the_search(client, officer, caterer):
    client.force_login(officer)

    html = client.get("/annuaire/", {"q": "traiteur"}).content.decode()

    assert 'href="/annuaire/export/?q=traiteur"' in html
    assert "Exporter ces résultats" in html


def test_visitors_get_no_export_link_but_a_portfolio_link(client, caterer):
    html = client.get("/annuaire/", {"q": "traiteur"}).content.decode()

    assert "/annuaire/export/" not in html
    assert 'href="/initiatives/portfolio/?q=traiteur"' in html


def test_the_portfolio_of_a_search_holds_the_same_enterprises(client, caterer, printer):
    html = client.get("/initiatives/portfolio/", {"q": "traiteur"}).content.decode()

    assert "Traiteur La Cigale" in html
    assert "Imprimerie Solidaire" not in html
