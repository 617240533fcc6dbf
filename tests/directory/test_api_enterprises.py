"""The enterprise API: search with facets, details, writes by permission, decisions."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from directory.models import Enterprise, ManagerContact, Offering
from directory.serializers import EnterpriseSerializer
from tests.directory.factories_public import category, municipality, searchable_enterprise, sector
from tests.factories import EnterpriseFactory, ManagerContactFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db

LIST = "/api/enterprises/"


def detail(enterprise) -> str:
    return f"/api/enterprises/{enterprise.pk}/"


@pytest.fixture
def caterer():
    enterprise = searchable_enterprise(
        "Traiteur La Cigale",
        offerings=[("traiteur", "Buffets", "réception")],
        sectors=["722"],
        impacts=["integration"],
        neq="1140000001",
    )
    ManagerContactFactory(enterprise=enterprise, name="Josée Directrice")
    return enterprise


@pytest.fixture
def representative(caterer):
    return RepresentativeFactory(enterprise=caterer, user__email="rep@coop.example").user


# --- Reading -----------------------------------------------------------------------------
def test_anyone_searches_with_facets_and_corrections(api_client, caterer):
    response = api_client.get(LIST, {"search": "tratieur", "region": "16"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    result = body["results"][0]
    assert result["id"] == caterer.pk
    assert result["name"] == "Traiteur La Cigale"
    assert result["neq"] == "1140000001"
    assert result["legal_form"] == "coop_workers"
    assert result["status"] == "verified"
    assert result["sectors"] == ["722"]
    assert result["region"] == "16"
    assert result["municipality"] == "58227"
    assert result["offerings"][0]["category"] == "traiteur"
    assert result["impacts"] == ["integration"]
    assert result["url"].endswith(f"/annuaire/{caterer.slug}/")
    assert body["facets"]["region"] == [
        {"value": "16", "label": "Montérégie", "count": 1, "selected": True, "parent": None}
    ]
    assert body["corrections"] == [{"typed": "tratieur", "suggested": "traiteur"}]
    assert "contacts" not in result


def test_q_is_accepted_as_search(api_client, caterer):
    assert api_client.get(LIST, {"q": "cigale"}).json()["count"] == 1


def test_an_unknown_filter_value_is_a_400_in_the_users_language(api_client, caterer):
    french = api_client.get(LIST, {"region": "99"}, HTTP_ACCEPT_LANGUAGE="fr-CA")
    english = api_client.get(LIST, {"region": "99"}, HTTP_ACCEPT_LANGUAGE="en")

    assert french.status_code == english.status_code == 400
    assert "Sélectionnez un choix valide" in french.json()["region"][0]
    assert "Select a valid choice" in english.json()["region"][0]


def test_visitors_see_neither_pending_enterprises_nor_their_details(api_client, caterer):
    pending = searchable_enterprise("Traiteur en attente", status=Enterprise.Status.PENDING)

    assert api_client.get(LIST).json()["count"] == 1
    assert api_client.get(detail(pending)).status_code == 404


def test_coordinators_see_every_status_and_filter_on_it(api_client, caterer, coordinator):
    searchable_enterprise("Traiteur en attente", status=Enterprise.Status.PENDING)
    api_client.force_authenticate(coordinator)

    assert api_client.get(LIST).json()["count"] == 2
    pending = api_client.get(LIST, {"status": "pending"}).json()
    assert [r["name"] for r in pending["results"]] == ["Traiteur en attente"]


def test_managers_contacts_are_absent_for_visitors_and_outsiders_without_a_role(
    api_client, caterer, stranger
):
    assert "contacts" not in api_client.get(detail(caterer)).json()
    api_client.force_authenticate(stranger)
    assert "contacts" not in api_client.get(detail(caterer)).json()


@pytest.mark.parametrize("actor", ["buyer", "officer", "manager", "coordinator"])
def test_managers_contacts_are_shown_to_buyers_staff_and_coordinators(
    api_client, caterer, actor, request
):
    api_client.force_authenticate(request.getfixturevalue(actor))

    contacts = api_client.get(detail(caterer)).json()["contacts"]

    assert [contact["name"] for contact in contacts] == ["Josée Directrice"]


def _count_queries(api_client, params) -> int:
    cache.clear()  # facet counts may be cached: count the queries of a first visit
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get(LIST, params).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_list_shows_each_enterprise_as_its_serializer_does(api_client, language):
    full = searchable_enterprise(
        "Traiteur Écume",
        offerings=[("traiteur", "Buffets", "réception"), ("boites-repas", "Boîtes à lunch")],
        sectors=["722", "323"],
        impacts=["local_services", "environment", "integration"],
        regions_served=["16", "06"],
        neq="1140000042",
        legal_form=Enterprise.LegalForm.COOP_SOLIDARITY,
        primary_sector=sector("722"),
        other_names="L'Écume\nÉcume traiteur",
        address="12, rue des Érables",
        postal_code="J4K 1A1",
        website="https://ecume.example",
        email="info@ecume.example",
        phone="450 555-0100",
        mission="Nourrir le quartier",
        employees=12,
        size_band=Enterprise.SizeBand.choices[0][0],
    )
    bare = searchable_enterprise(
        "Traiteur sans lieu", municipality_code=None, neq=None, region=None, description=""
    )
    response = api_client.get(LIST, {"search": "traiteur"}, HTTP_ACCEPT_LANGUAGE=language)

    shown = response.json()["results"]
    with translation.override(language):
        expected = EnterpriseSerializer(
            Enterprise.objects.filter(pk__in=[full.pk, bare.pk]),
            many=True,
            context={"request": response.wsgi_request},
        ).data
    expected = sorted(json.loads(JSONRenderer().render(expected)), key=lambda e: e["name"])
    shown.sort(key=lambda e: e["name"])
    assert [e["name"] for e in shown] == ["Traiteur sans lieu", "Traiteur Écume"]
    assert shown == expected
    assert [list(e) for e in shown] == [list(e) for e in expected]  # the same order of keys


def test_the_list_takes_as_many_queries_for_one_result_as_for_many(api_client, buyer):
    for number in range(12):
        enterprise = searchable_enterprise(
            f"Traiteur {number}",
            offerings=[("traiteur", "Buffets"), ("imprimerie", "Menus")],
            sectors=["722", "323"],
            impacts=["integration", "environment"],
            regions_served=["06", "16"],
        )
        ManagerContactFactory(enterprise=enterprise)
    api_client.force_authenticate(buyer)
    api_client.get(LIST)  # the buyer's roles are then cached on the user object

    one = _count_queries(api_client, {"search": "traiteur", "page_size": 1})
    many = _count_queries(api_client, {"search": "traiteur", "page_size": 12})

    assert one == many
    assert many <= 20


# --- Writing -----------------------------------------------------------------------------
def new_enterprise(**changes) -> dict:
    category("traiteur")
    sector("722")
    municipality("58227")
    return {
        "name": "Coop du Quartier",
        "neq": "1140 000 099",
        "legal_form": "coop_solidarity",
        "municipality": "58227",
        "postal_code": "j4k1a1",
        "email": "info@quartier.example",
        "sectors": ["722"],
        "regions_served": ["16"],
        "impacts": ["local_services"],
        "offerings": [{"name": "Buffets", "category": "traiteur", "keywords": "repas"}],
        **changes,
    }


def test_coordinators_create_enterprises_that_wait_for_verification(api_client, coordinator):
    api_client.force_authenticate(coordinator)

    response = api_client.post(LIST, new_enterprise(), format="json")

    assert response.status_code == 201, response.json()
    enterprise = Enterprise.objects.get(pk=response.json()["id"])
    assert enterprise.neq == "1140000099"
    assert enterprise.postal_code == "J4K 1A1"
    assert enterprise.region_id == "16"
    assert enterprise.status == Enterprise.Status.NOT_SUBMITTED
    assert list(enterprise.sectors.values_list("code", flat=True)) == ["722"]
    assert list(enterprise.offerings.values_list("name", flat=True)) == ["Buffets"]
    assert "Buffets" in enterprise.search_document


@pytest.mark.parametrize("actor", [None, "stranger", "buyer", "officer"])
def test_only_coordinators_create_enterprises(api_client, actor, request):
    if actor:
        api_client.force_authenticate(request.getfixturevalue(actor))

    response = api_client.post(LIST, new_enterprise(), format="json")

    assert response.status_code in (401, 403)
    assert not Enterprise.objects.filter(name="Coop du Quartier").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"neq": "123"}, "neq", "10 chiffres"),
        ({"postal_code": "12345"}, "postal_code", "code postal"),
        ({"email": "pas-un-courriel"}, "email", "courriel"),
        ({"legal_form": "corporation"}, "legal_form", "choix valide"),
        ({"municipality": "00000"}, "municipality", "existe pas"),
        ({"offerings": [{"name": "X", "category": "nothing"}]}, "offerings", "existe pas"),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_saved(
    api_client, coordinator, changes, field, message
):
    api_client.force_authenticate(coordinator)

    response = api_client.post(
        LIST, new_enterprise(**changes), format="json", HTTP_ACCEPT_LANGUAGE="fr-CA"
    )

    assert response.status_code == 400
    assert message in str(response.json()[field]).lower() or message in str(response.json())
    assert not Enterprise.objects.filter(name="Coop du Quartier").exists()
    assert not Offering.objects.exists()


def test_a_known_neq_is_refused(api_client, coordinator, caterer):
    api_client.force_authenticate(coordinator)

    response = api_client.post(LIST, new_enterprise(neq="1140000001"), format="json")

    assert response.status_code == 400
    assert "neq" in response.json()


def test_html_in_text_is_kept_as_text(api_client, coordinator):
    api_client.force_authenticate(coordinator)
    payload = new_enterprise(description="<script>alert('x')</script>")

    enterprise_id = api_client.post(LIST, payload, format="json").json()["id"]

    assert Enterprise.objects.get(pk=enterprise_id).description == "<script>alert('x')</script>"


def test_a_representative_updates_their_own_enterprise(api_client, caterer, representative):
    api_client.force_authenticate(representative)

    response = api_client.patch(
        detail(caterer),
        {
            "description": "Cuisine de saison.",
            "offerings": [{"name": "Lunchs", "category": "traiteur"}],
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    caterer.refresh_from_db()
    assert caterer.description == "Cuisine de saison."
    assert list(caterer.offerings.values_list("name", flat=True)) == ["Lunchs"]
    assert caterer.status == Enterprise.Status.VERIFIED
    assert "Lunchs" in caterer.search_document
    assert "Buffets" not in caterer.search_document


def test_renaming_a_verified_enterprise_sends_it_back_to_verification(
    api_client, caterer, representative
):
    api_client.force_authenticate(representative)

    response = api_client.patch(detail(caterer), {"name": "Traiteur La Fourmi"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "pending"


def test_a_representative_cannot_change_its_status(api_client, caterer, representative):
    api_client.force_authenticate(representative)

    api_client.patch(detail(caterer), {"status": "verified", "is_published": False}, format="json")

    caterer.refresh_from_db()
    assert caterer.is_published


def test_nobody_else_updates_an_enterprise(api_client, caterer, officer):
    other = EnterpriseFactory(name="Autre coop")
    rep_of_other = RepresentativeFactory(enterprise=other).user
    for actor in (officer, rep_of_other):
        api_client.force_authenticate(actor)
        response = api_client.patch(detail(caterer), {"description": "Piraté"}, format="json")
        assert response.status_code == 403
    api_client.force_authenticate(None)
    assert api_client.patch(detail(caterer), {"description": "Piraté"}).status_code in (401, 403)
    caterer.refresh_from_db()
    assert caterer.description != "Piraté"


def test_an_invalid_update_changes_nothing(api_client, caterer, representative):
    api_client.force_authenticate(representative)

    response = api_client.patch(
        detail(caterer),
        {"description": "Changée", "offerings": [{"name": "X", "category": "nothing"}]},
        format="json",
    )

    assert response.status_code == 400
    caterer.refresh_from_db()
    assert caterer.description != "Changée"
    assert list(caterer.offerings.values_list("name", flat=True)) == ["Buffets"]


def test_enterprises_are_not_deleted_through_the_api(api_client, caterer, coordinator):
    api_client.force_authenticate(coordinator)

    assert api_client.delete(detail(caterer)).status_code == 405


# --- Decisions ---------------------------------------------------------------------------
@pytest.fixture
def pending():
    return searchable_enterprise("Coop en attente", status=Enterprise.Status.PENDING)


def test_coordinators_verify_an_enterprise(api_client, coordinator, pending):
    api_client.force_authenticate(coordinator)

    response = api_client.post(f"{detail(pending)}verify/")

    assert response.status_code == 200
    assert response.json()["status"] == "verified"
    pending.refresh_from_db()
    assert pending.status_decided_by == coordinator


def test_coordinators_reject_with_a_reason(api_client, coordinator, pending):
    api_client.force_authenticate(coordinator)

    missing = api_client.post(f"{detail(pending)}reject/", {}, format="json")
    response = api_client.post(
        f"{detail(pending)}reject/", {"reason": "Entreprise à but lucratif."}, format="json"
    )

    assert missing.status_code == 400
    assert "reason" in missing.json()
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["status_reason"] == "Entreprise à but lucratif."


def test_an_illegal_decision_is_refused_clearly(api_client, coordinator, caterer):
    api_client.force_authenticate(coordinator)

    response = api_client.post(f"{detail(caterer)}reject/", {"reason": "Non."}, format="json")

    assert response.status_code == 400
    assert "status" in response.json()


@pytest.mark.parametrize("actor", ["officer", "representative"])
def test_only_coordinators_decide(api_client, pending, actor, request):
    RepresentativeFactory(enterprise=pending, user__email="rep2@coop.example")
    user = request.getfixturevalue(actor) if actor != "representative" else None
    user = user or pending.representatives.get().user
    api_client.force_authenticate(user)

    response = api_client.post(f"{detail(pending)}verify/")

    assert response.status_code in (403, 404)
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.PENDING


def test_the_schema_documents_the_endpoint(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    enterprises = schema["paths"]["/api/enterprises/"]["get"]
    parameters = {parameter["name"] for parameter in enterprises["parameters"]}
    assert {"search", "region", "sector", "municipality", "category", "legal_form"} <= parameters
    assert {"impact", "registered", "sort", "page_size"} <= parameters
    assert "facets" in schema["components"]["schemas"]["EnterpriseSearch"]["properties"]
    assert "/api/enterprises/{id}/verify/" in schema["paths"]
    assert "/api/enterprises/{id}/reject/" in schema["paths"]


def test_manager_contacts_are_not_editable_through_the_api(api_client, caterer, coordinator):
    api_client.force_authenticate(coordinator)

    api_client.patch(detail(caterer), {"contacts": [{"name": "Intrus"}]}, format="json")

    assert list(ManagerContact.objects.values_list("name", flat=True)) == ["Josée Directrice"]
