"""Public profiles: readable addresses, contacts for buyers only, structured data."""

import json
import re

import pytest
from django.urls import reverse

from directory.models import Enterprise
from tests.directory.factories_public import searchable_enterprise
from tests.factories import ManagerContactFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caterer():
    enterprise = searchable_enterprise(
        "Traiteur La Cigale, coopérative de travail",
        offerings=[("traiteur", "Buffets chauds", "réception"), ("boites-repas", "Boîtes à lunch")],
        impacts=["integration"],
        regions_served=["06", "16"],
        neq="1140000001",
        mission="Nourrir le quartier.",
        website="https://cigale.example",
        email="info@cigale.example",
        phone="514-555-0100",
        postal_code="J4K 1A1",
        address="12 rue Fictive",
    )
    ManagerContactFactory(
        enterprise=enterprise, name="Josée Directrice", email="josee@cigale.example"
    )
    return enterprise


def profile_url(enterprise) -> str:
    return reverse("directory:enterprise-detail", kwargs={"slug": enterprise.slug})


def json_ld(response) -> dict:
    html = response.content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_a_profile_lives_at_a_readable_address(client, caterer):
    response = client.get("/annuaire/traiteur-la-cigale-cooperative-de-travail/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="profile-name">Traiteur La Cigale, coopérative de travail</h1>' in html
    assert "Buffets chauds" in html
    assert "Service de traiteur" in html
    assert "Nourrir le quartier." in html
    assert "Montréal, Montérégie" in html  # regions served
    assert "info@cigale.example" in html  # the enterprise's own, public address


def test_an_enterprise_named_like_a_members_page_still_gets_a_reachable_profile(client):
    enterprise = searchable_enterprise("Export", neq="1140000099")

    assert enterprise.slug == "export-2"
    response = client.get(reverse("directory:enterprise-detail", kwargs={"slug": enterprise.slug}))
    assert response.status_code == 200
    assert '<h1 id="profile-name">Export</h1>' in response.content.decode()


def test_visitors_do_not_see_the_managers_contacts(client, caterer, stranger):
    for user in (None, stranger):
        if user:
            client.force_login(user)
        html = client.get(profile_url(caterer)).content.decode()
        assert "Josée Directrice" not in html
        assert "josee@cigale.example" not in html
        assert "personnel connecté des organisations acheteuses" in html


@pytest.mark.parametrize("actor", ["buyer", "officer", "manager", "coordinator"])
def test_buyers_staff_and_coordinators_see_the_managers_contacts(client, caterer, actor, request):
    client.force_login(request.getfixturevalue(actor))

    html = client.get(profile_url(caterer)).content.decode()

    assert "Josée Directrice" in html
    assert "josee@cigale.example" in html


def test_the_profile_describes_the_organization_in_schema_org(client, caterer):
    data = json_ld(client.get(profile_url(caterer)))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["name"] == caterer.name
    assert data["url"] == f"http://testserver{profile_url(caterer)}"
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "propertyID": "NEQ",
        "value": "1140000001",
    }
    assert data["address"]["addressLocality"] == "Longueuil"
    assert data["address"]["postalCode"] == "J4K 1A1"
    assert {offer["itemOffered"]["name"] for offer in data["makesOffer"]} == {
        "Buffets chauds",
        "Boîtes à lunch",
    }
    assert "Josée" not in json.dumps(data)  # never the managers' contacts


def test_html_in_the_profile_is_escaped_even_in_structured_data(client):
    enterprise = searchable_enterprise(
        "</script><script>alert(1)</script> Coop",
        description="<b>gras</b> & </script>",
    )

    html = client.get(profile_url(enterprise)).content.decode()

    assert "<script>alert(1)" not in html
    assert "<b>gras</b>" not in html
    assert json_ld(client.get(profile_url(enterprise)))["description"] == "<b>gras</b> & </script>"


def test_a_profile_that_is_not_public_is_not_found_by_visitors(client):
    pending = searchable_enterprise("Coop en attente", status=Enterprise.Status.PENDING)
    hidden = searchable_enterprise("Coop discrète", is_published=False, publication_consent_at=None)

    assert client.get(profile_url(pending)).status_code == 404
    assert client.get(profile_url(hidden)).status_code == 404
    assert client.get("/annuaire/nobody-has-this-name/").status_code == 404


def test_coordinators_and_representatives_see_a_pending_profile_kept_out_of_search_engines(
    client, coordinator
):
    pending = searchable_enterprise("Coop en attente", status=Enterprise.Status.PENDING)
    representative = RepresentativeFactory(enterprise=pending).user
    for user in (coordinator, representative):
        client.force_login(user)
        html = client.get(profile_url(pending)).content.decode()
        assert '<meta name="robots" content="noindex">' in html
        assert "application/ld+json" not in html


def test_profiles_do_not_hide_the_members_pages(client):
    from directory import urls_members

    segments = {str(pattern.pattern).split("/")[0] for pattern in urls_members.urlpatterns}
    segments = sorted(s for s in segments if s and "<" not in s)
    if not segments:
        pytest.skip("no members' pages")
    # An enterprise whose slug is the name of a members' page.
    searchable_enterprise(segments[0].replace("-", " "))

    response = client.get(f"/annuaire/{segments[0]}/")

    assert response.resolver_match.url_name != "enterprise-detail"


def test_the_profile_is_in_english_on_request(client, caterer):
    client.cookies["portal_language"] = "en"

    html = client.get(profile_url(caterer)).content.decode()

    assert "Products and services" in html
    assert "Catering" in html
