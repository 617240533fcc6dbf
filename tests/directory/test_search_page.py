"""The directory's search page: the same FilterSet and facet counts as the API, in HTML."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Enterprise
from tests.directory.factories_public import searchable_enterprise
from tests.factories import ManagerContactFactory, SupplierRegistrationFactory

pytestmark = pytest.mark.django_db

URL = reverse("directory:index")


@pytest.fixture
def caterers():
    return [
        searchable_enterprise(
            "Traiteur La Cigale",
            offerings=[("traiteur", "Buffets")],
            impacts=["integration"],
            description="Cuisine de saison.",
        ),
        searchable_enterprise(
            "Saveurs du Richelieu",
            offerings=[("traiteur", "Cocktails")],
            municipality_code="56083",
            legal_form=Enterprise.LegalForm.COOP_SOLIDARITY,
        ),
        searchable_enterprise(
            "Imprimerie Montréalaise",
            offerings=[("imprimerie", "Affiches")],
            municipality_code="66023",
        ),
    ]


def text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_the_home_page_search_box_leads_to_results(client, caterers):
    response = client.get(URL, {"q": "traiteurs"})

    assert response.status_code == 200
    page = text(response)
    assert "2 entreprises" in page
    assert "Traiteur La Cigale" in page
    assert "Saveurs du Richelieu" in page
    assert "Imprimerie Montréalaise" not in page


def test_facets_show_the_counts_the_api_gives(client, caterers):
    html = client.get(URL, {"q": "traiteur", "region": "16"}).content.decode()
    api = client.get("/api/enterprises/", {"search": "traiteur", "region": "16"}).json()

    for name, values in api["facets"].items():
        for value in values:
            checkbox = re.search(
                rf'name="{name}" value="{re.escape(value["value"])}"(?: checked)?>\s*'
                rf'<span class="facet-label">[^<]*</span>\s*'
                rf'<span class="facet-count">(\d+) résultats?</span>',
                html,
            )
            assert checkbox, (name, value)
            assert int(checkbox.group(1)) == value["count"]


def test_ticked_filters_are_checked_and_can_be_removed_one_by_one(client, caterers):
    response = client.get(URL, {"q": "traiteur", "legal_form": "coop_solidarity"})

    html = response.content.decode()
    assert 'name="legal_form" value="coop_solidarity" checked' in html
    assert "Forme juridique: Coopérative de solidarité" in text(response) or (
        "Forme juridique: Solidarity co-operative" in text(response)
    )
    assert 'href="?search=traiteur"' in html  # removes the legal form, keeps the words


def test_a_typo_is_forgiven_and_said(client, caterers):
    page = text(client.get(URL, {"q": "tratieur"}))

    assert "Traiteur La Cigale" in page
    assert "tratieur → traiteur" in page


def test_no_result_gives_a_helpful_empty_state(client, caterers):
    page = text(client.get(URL, {"q": "xylophone", "region": "16"}))

    assert "0 entreprise" in page
    assert "Aucune entreprise ne correspond à « xylophone » avec ces filtres." in page
    assert "Parcourir tout le répertoire" in page


def test_an_unknown_filter_value_is_explained_and_left_out(client, caterers):
    response = client.get(URL, {"q": "traiteur", "region": "99"})

    assert response.status_code == 200
    page = text(response)
    assert "Certains filtres n’ont pas été compris" in page
    assert "Sélectionnez un choix valide. 99 n’en fait pas partie." in page
    assert "2 entreprises" in page


def test_visitors_do_not_get_the_supplier_file_filter_but_members_do(
    client, caterers, buyer, organization
):
    SupplierRegistrationFactory(enterprise=caterers[0], organization=organization)
    assert 'name="registered"' not in client.get(URL).content.decode()

    client.force_login(buyer)
    response = client.get(URL, {"registered": "true"})

    assert 'name="registered" value="true" checked' in response.content.decode()
    assert "1 entreprise" in text(response)


def test_text_from_enterprises_is_escaped(client):
    searchable_enterprise(
        "<script>alert('nom')</script> Coop",
        description="<img src=x onerror=alert(1)>",
        offerings=[("traiteur", "<b>Buffet</b>")],
    )

    html = client.get(URL, {"q": "coop"}).content.decode()

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>Buffet" not in html
    assert "&lt;script&gt;alert(&#x27;nom&#x27;)&lt;/script&gt; Coop" in html


def test_pages_of_twenty_results(client):
    for number in range(23):
        searchable_enterprise(f"Coop numéro {number:02d}")

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert text(first).count("Coop numéro") == 20
    assert "Page 1 de 2" in text(first)
    assert text(second).count("Coop numéro") == 3
    assert client.get(URL, {"page": "nowhere"}).status_code == 200


def test_the_page_is_in_english_on_request(client, caterers):
    client.cookies["portal_language"] = "en"

    page = text(client.get(URL, {"q": "catering"}))

    assert "2 enterprises" in page
    assert "Refine" in page


def _queries(client, count: int) -> int:
    for number in range(count):
        enterprise = searchable_enterprise(
            f"Coop {count}-{number}",
            offerings=[("traiteur", "Buffets"), ("imprimerie", "Menus")],
            sectors=["722", "323"],
            impacts=["integration", "environment"],
            regions_served=["06"],
        )
        ManagerContactFactory(enterprise=enterprise)
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, {"q": "coop"}).status_code == 200
    Enterprise.objects.all().delete()
    return len(captured.captured_queries)


def test_the_page_takes_as_many_queries_for_two_results_as_for_twenty(client, buyer):
    client.force_login(buyer)

    assert _queries(client, 2) == _queries(client, 20)
