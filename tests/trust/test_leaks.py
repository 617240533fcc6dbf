"""No leak: the other side (a visitor, EÉS B, organization Y) never reads X's or A's private
records — in list bodies, search and facets, exports, not only in status codes."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.trust.conftest import SECRET

pytestmark = [pytest.mark.django_db]

OUTSIDERS = ("visitor", "rep_b", "officer_y")
PRIVATE = [
    SECRET["process"],
    SECRET["draft_need"],
    SECRET["bid_amount"],
    SECRET["award_amount"],
    SECRET["contact_note"],
    SECRET["manager_email"],
    SECRET["manager_phone"],
    SECRET["shortlist"],
    SECRET["unpublished"],
    SECRET["registration_note"],
    "X-MAT-1",
]


def body(world, role, url) -> str:
    response = world.client(role).get(url)
    assert response.status_code < 500, url
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def leaked(text: str, secrets=PRIVATE) -> list[str]:
    import html

    text = html.unescape(text)
    return [secret for secret in secrets if secret in text]


LISTS = [
    "/api/processes/",
    "/api/invitations/",
    "/api/bids/",
    "/api/awards/",
    "/api/business-contacts/",
    "/api/supplier-registrations/",
    "/api/annual-needs/",
    "/api/activities/",
    "/api/enterprises/",
    "/api/enterprises/?q=fantome",
    "/api/organizations/",
    "/annuaire/",
    "/annuaire/?q=fantôme",
    "/annuaire/?q=Coopérative",
    "/approvisionnement/",
    "/approvisionnement/processus/",
    "/approvisionnement/contrats/",
    "/approvisionnement/contrats/cumuls/",
    "/approvisionnement/besoins/",
    "/approvisionnement/contacts/",
    "/approvisionnement/activites/",
    "/approvisionnement/organisations/ville-x-matrice/",
    "/approvisionnement/mes-invitations/",
    "/annuaire/fichier-fournisseurs/",
    "/annuaire/listes/",
    "/initiatives/portfolio/",
    "/indicateurs/public/",
]


# Managers' contacts are for buyers' staff (Y's officer included) and coordinators.
CONTACTS = [SECRET["manager_email"], SECRET["manager_phone"]]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("role", OUTSIDERS)
def test_the_other_side_never_reads_x_or_a_private_records(world, role, url):
    private = [s for s in PRIVATE if role != "officer_y" or s not in CONTACTS]
    assert leaked(body(world, role, url), private) == []


def test_the_owners_do_read_them_so_the_leak_test_can_fail(world):
    assert SECRET["process"] in body(world, "buyer", "/api/processes/")
    assert SECRET["contact_note"] in body(world, "officer", "/api/business-contacts/")
    assert '"count":1' in body(world, "officer", "/api/supplier-registrations/")
    assert '"count":0' in body(world, "officer_y", "/api/supplier-registrations/")
    assert SECRET["award_amount"] in body(world, "rep_a", "/api/awards/")
    assert SECRET["shortlist"] in body(world, "buyer", "/annuaire/listes/")


def test_the_profile_shows_managers_contacts_to_buyers_staff_only(world):
    url = reverse("directory:enterprise-detail", args=[world.objects["a"].slug])
    api_url = f"/api/enterprises/{world.objects['a'].pk}/"
    contacts = [SECRET["manager_email"], SECRET["manager_phone"]]
    for role in ("visitor", "rep_b"):
        assert leaked(body(world, role, url), contacts) == [], role
        assert leaked(body(world, role, api_url), contacts) == [], role
    for role in ("buyer", "officer_y", "coordinator"):
        assert leaked(body(world, role, url), contacts) == contacts, role
        assert leaked(body(world, role, api_url), contacts) == contacts, role


def test_the_search_and_its_facets_never_count_an_unpublished_enterprise(world):
    unpublished = world.objects["unpublished"]
    for role in OUTSIDERS:
        data = Client().get("/api/enterprises/", {"q": "fantôme"}).json()
        assert data["count"] == 0, role
        assert unpublished.neq not in body(world, role, "/annuaire/?q=fantôme"), role
        assert unpublished.neq not in body(world, role, f"/api/enterprises/?neq={unpublished.neq}")


def test_exports_carry_only_the_reader_s_own_records(world):
    export = "?format=csv&columns=name&columns=neq&columns=contacts"
    # Y's supplier file does not hold A: its export is empty of A and of X's notes.
    text = body(world, "officer_y", reverse("directory:supplier-file-export") + export)
    assert world.objects["a"].neq not in text
    assert leaked(text) == []
    # X's own export holds A.
    text = body(world, "officer", reverse("directory:supplier-file-export") + export)
    assert world.objects["a"].neq in text
    # Another buyer's shortlist cannot be exported.
    shortlist = reverse("directory:shortlist-export", args=[world.objects["shortlist"].pk])
    client = Client()
    client.force_login(world.user("officer_y"))
    assert client.get(shortlist + export).status_code == 404


def test_the_ocds_export_of_another_organization_is_refused(world):
    client = Client()
    client.force_login(world.user("officer_y"))
    response = client.get(
        reverse("procurement:ocds-export"),
        {"start": "2025-01-01", "end": "2025-12-31", "organization": world.objects["x"].pk},
    )
    assert response.status_code == 200  # the form again, with an error
    assert "attachment" not in response.get("Content-Disposition", "")
    assert leaked(response.content.decode()) == []


def test_an_activity_shows_other_organizations_staff_no_private_contact(world):
    url = reverse("procurement:activity-detail", args=[world.objects["activity"].pk])
    assert SECRET["contact_note"] not in body(world, "officer_y", url)
    assert (
        leaked(body(world, "officer_y", f"/api/activities/{world.objects['activity'].pk}/")) == []
    )


def test_the_audit_trail_names_no_staff_to_outsiders(world):
    need = world.objects["need"]
    for role in OUTSIDERS:
        text = body(world, role, f"/api/annual-needs/{need.pk}/history/")
        assert "@matrice.example" not in text, role


def region_facet_count(world, role, code) -> int:
    client = Client()
    if world.user(role) is not None:
        client.force_login(world.user(role))
    facets = client.get("/api/enterprises/").json()["facets"]
    return sum(value["count"] for value in facets.get("region", []) if value["value"] == code)


def test_the_facets_count_an_unpublished_enterprise_for_no_outsider(world):
    code = world.objects["unpublished"].region.code
    for role in OUTSIDERS:
        assert region_facet_count(world, role, code) == 0, role
    assert region_facet_count(world, "coordinator", code) == 1
