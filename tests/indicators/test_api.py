"""GET /api/indicators/: values, visibility, bad input, snapshot and live alike."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.catalogue import CODES
from indicators.models import Snapshot
from indicators.services import refresh_snapshot
from tests.factories import MembershipFactory
from tests.indicators.factories_engine import rich_data_set, worked_example

pytestmark = pytest.mark.django_db

URL = "/api/indicators/"
YEAR_2025 = {"start": "2025-01-01", "end": "2025-12-31"}
TODAY = dt.date(2026, 3, 15)


def get(client, user, **params):
    client.force_authenticate(user)
    return client.get(URL, params)


def by_code(response):
    return {item["code"]: item for item in response.json()["indicators"]}


@pytest.fixture
def example(organization):
    return worked_example(organization)


@pytest.mark.parametrize("member", ["officer", "buyer", "manager"])
def test_a_member_reads_every_indicator_of_their_organization(
    request, api_client, organization, example, member
):
    user = request.getfixturevalue(member)

    response = get(api_client, user, organization=organization.pk, **YEAR_2025)

    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == {"organization": organization.pk, "label": "Ville de Longueuil"}
    assert (body["start"], body["end"]) == ("2025-01-01", "2025-12-31")
    assert [item["code"] for item in body["indicators"]] == CODES
    values = by_code(response)
    assert values["ees_spend"] == {
        "code": "ees_spend",
        "label": "Valeur des contrats octroyés à des EÉS",
        "unit": "CAD",
        "value": "40000.00",
        "numerator": None,
        "denominator": None,
    }
    assert values["total_spend"]["value"] == "140000.00"
    assert values["ees_winning"]["value"] == 2
    assert values["ees_spend_share"]["value"] == pytest.approx(40000 / 140000)
    assert values["ees_spend_share"]["numerator"] == "40000.00"
    assert values["ees_spend_share"]["denominator"] == "140000.00"
    assert values["ees_contracts_new_relationship_share"]["value"] == 0.5
    assert values["ees_contracts_new_relationship_share"]["numerator"] == 1
    assert values["ees_contracts_new_relationship_share"]["denominator"] == 2


def test_labels_follow_the_language(api_client, officer, organization, example):
    api_client.force_authenticate(officer)

    response = api_client.get(
        URL, {"organization": organization.pk, **YEAR_2025}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert by_code(response)["total_spend"]["label"] == "Total value of contracts awarded"


def test_a_share_without_denominator_is_null_not_zero(api_client, officer, organization):
    response = get(api_client, officer, organization=organization.pk, **YEAR_2025)

    share = by_code(response)["ees_spend_share"]
    assert (share["value"], share["numerator"], share["denominator"]) == (None, "0.00", "0.00")
    assert by_code(response)["ees_spend"]["value"] == "0.00"


def test_an_outsider_cannot_read_another_organization(api_client, outsider, organization):
    response = get(api_client, outsider, organization=organization.pk, **YEAR_2025)

    assert response.status_code == 403
    assert "indicateurs de cette organisation" in response.json()["detail"]


def test_a_user_without_role_cannot_read_an_organization(api_client, stranger, organization):
    assert get(api_client, stranger, organization=organization.pk, **YEAR_2025).status_code == 403


def test_a_visitor_must_sign_in(api_client, organization):
    response = api_client.get(URL, {"organization": organization.pk, **YEAR_2025})

    assert response.status_code in (401, 403)


def test_only_coordinators_see_all_organizations(api_client, officer, manager, coordinator):
    assert get(api_client, officer, **YEAR_2025).status_code == 403
    assert get(api_client, manager, **YEAR_2025).status_code == 403

    response = get(api_client, coordinator, **YEAR_2025)

    assert response.status_code == 200
    assert response.json()["scope"] == {"organization": None, "label": "Toutes les organisations"}


def test_a_coordinator_reads_any_organization(api_client, coordinator, other_organization):
    response = get(api_client, coordinator, organization=other_organization.pk, **YEAR_2025)

    assert response.status_code == 200


def test_a_member_of_two_organizations_reads_both(api_client, officer, other_organization):
    MembershipFactory(user=officer, organization=other_organization, role="buyer")

    response = get(api_client, officer, organization=other_organization.pk, **YEAR_2025)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"organization": 999999}, "organization", "Aucune organisation n'a cet identifiant."),
        ({"organization": "abc"}, "organization", "Un nombre entier valide est requis."),
        ({"start": "2025-12-31", "end": "2025-01-01"}, "end", "La fin précède le début."),
        ({"start": "2025-13-01"}, "start", "La date n'a pas le bon format."),
        ({"start": ""}, "start", "La date n'a pas le bon format."),
        ({"breakdown": "colour"}, "breakdown", "colour\xa0» n'est pas un choix valide."),
        (
            {"start": "1900-01-01"},
            "non_field_errors",
            "Les dates doivent être comprises entre 2000-01-01 et 2099-12-31.",
        ),
        (
            {"start": "2001-01-01", "end": "2025-12-31"},
            "end",
            "Une période dure au plus 10 ans.",
        ),
    ],
)
def test_bad_input_gets_a_clear_400_in_french(
    api_client, coordinator, organization, params, field, message
):
    response = get(api_client, coordinator, **{**YEAR_2025, **params})

    assert response.status_code == 400
    assert any(message in error for error in response.json()[field]), response.json()


def test_a_ten_year_period_from_a_leap_day_is_accepted(api_client, coordinator):
    response = get(api_client, coordinator, start="2016-02-29", end="2026-02-27")

    assert response.status_code == 200
    assert response.json()["source"] == "live"


def test_start_and_end_are_required(api_client, coordinator):
    response = get(api_client, coordinator)

    assert response.status_code == 400
    assert response.json()["start"] == ["Ce champ est obligatoire."]
    assert response.json()["end"] == ["Ce champ est obligatoire."]


def test_a_bad_organization_is_refused_before_visibility_is_checked(api_client, officer):
    assert get(api_client, officer, organization=999999, **YEAR_2025).status_code == 400


def test_a_standard_period_is_read_from_the_snapshot_and_another_is_computed_live(
    api_client, coordinator, organization, example
):
    snapshot = refresh_snapshot(trigger="command", today=TODAY)

    year = get(api_client, coordinator, organization=organization.pk, **YEAR_2025).json()
    custom = get(
        api_client, coordinator, organization=organization.pk, start="2025-01-01", end="2025-03-01"
    ).json()

    assert year["source"] == "snapshot"
    assert dt.datetime.fromisoformat(year["computed_at"]) == snapshot.computed_at
    assert custom["source"] == "live"
    assert by_code_of(custom)["ees_spend"]["value"] == "30000.00"
    assert by_code_of(custom)["ees_spend_direct"]["value"] == "0.00"


def by_code_of(body):
    return {item["code"]: item for item in body["indicators"]}


@pytest.mark.parametrize("breakdown", [None, "method", "sector", "region", "organization", "month"])
def test_the_snapshot_and_live_answers_are_identical(api_client, coordinator, breakdown):
    data = rich_data_set()
    refresh_snapshot(trigger="command", today=TODAY)
    params = {**YEAR_2025, **({"breakdown": breakdown} if breakdown else {})}
    answers = []
    for organization in (None, data["montreal"].pk):
        scope = {"organization": organization} if organization else {}
        from_snapshot = get(api_client, coordinator, **scope, **params).json()
        Snapshot.objects.update(status=Snapshot.Status.FAILED)  # nothing to read: live
        live = get(api_client, coordinator, **scope, **params).json()
        Snapshot.objects.update(status=Snapshot.Status.COMPLETE)
        assert (from_snapshot["source"], live["source"]) == ("snapshot", "live")
        assert from_snapshot["indicators"] == live["indicators"]
        answers.append(from_snapshot)
    assert by_code_of(answers[0])["ees_spend"]["value"] != "0.00"


def test_a_breakdown_lists_its_parts_and_says_whether_they_add_up(
    api_client, officer, organization, example
):
    response = get(
        api_client, officer, organization=organization.pk, breakdown="method", **YEAR_2025
    )

    values = by_code(response)
    assert values["ees_spend"]["breakdown"] == [
        {"key": "open", "label": "Appel d'offres public", "value": "0.00", "numerator": None,
         "denominator": None},
        {"key": "invitation", "label": "Appel d'offres sur invitation", "value": "30000.00",
         "numerator": None, "denominator": None},
        {"key": "direct", "label": "Contrat de gré à gré", "value": "10000.00", "numerator": None,
         "denominator": None},
    ]  # fmt: skip
    assert values["ees_spend"]["parts_add_up"] is True
    assert values["ees_winning"]["parts_add_up"] is False
    assert values["ees_spend_share"]["parts_add_up"] is False
    assert [part["value"] for part in values["ees_spend_share"]["breakdown"]] == [
        0.0,
        1.0,
        1.0,
    ]
    # Registrations have no method; contacts and the offer have no breakdown.
    assert values["ees_registered"]["breakdown"] == []
    assert values["ees_registered"]["parts_add_up"] is None
    assert values["business_contacts"]["breakdown"] == []


def test_people_reached_are_broken_down_by_activity_kind(
    api_client, officer, organization, example
):
    response = get(api_client, officer, organization=organization.pk, breakdown="kind", **YEAR_2025)

    parts = by_code(response)["activity_participants"]["breakdown"]
    assert [(part["key"], part["value"]) for part in parts] == [
        ("matchmaking", 40),
        ("training", 0),
        ("awareness", 0),
        ("trade_fair", 0),
    ]
    assert parts[0]["label"] == "Activité de maillage"


def test_the_month_breakdown_of_a_period_lists_every_month(
    api_client, officer, organization, example
):
    response = get(
        api_client, officer, organization=organization.pk, breakdown="month", **YEAR_2025
    )

    parts = by_code(response)["ees_spend"]["breakdown"]
    assert [part["key"] for part in parts] == [f"2025-{month:02d}" for month in range(1, 13)]
    assert parts[2] == {
        "key": "2025-03",
        "label": "mars 2025",
        "value": "30000.00",
        "numerator": None,
        "denominator": None,
    }


def test_reading_a_snapshot_takes_the_same_queries_whatever_the_data_volume(
    api_client, coordinator, django_assert_num_queries
):
    montreal = rich_data_set()["montreal"]
    refresh_snapshot(trigger="command", today=TODAY)
    api_client.force_authenticate(coordinator)
    params = {"organization": montreal.pk, "breakdown": "sector", **YEAR_2025}
    api_client.get(URL, params)  # warm up: roles, content types
    cache.clear()  # the snapshot is read, not the answer kept from the warm-up
    with CaptureQueriesContext(connection) as small:
        assert api_client.get(URL, params).json()["source"] == "snapshot"

    rich_data_set()
    rich_data_set()
    worked_example(montreal)
    refresh_snapshot(trigger="command", today=TODAY)

    cache.clear()
    with django_assert_num_queries(len(small)):
        response = api_client.get(URL, params)
    assert response.json()["source"] == "snapshot"
    assert len(by_code(response)["ees_spend"]["breakdown"]) >= 2


def test_the_endpoint_is_documented_in_the_openapi_schema(api_client, coordinator):
    api_client.force_authenticate(coordinator)

    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/indicators/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"organization", "start", "end", "breakdown"} <= names
    assert "IndicatorReport" in schema["components"]["schemas"]


def measurement_reads(queries) -> int:
    return sum('"indicators_measurement"' in query["sql"] for query in queries.captured_queries)


def test_a_snapshots_answer_is_kept_until_the_next_snapshot(api_client, coordinator):
    montreal = rich_data_set()["montreal"]
    refresh_snapshot(trigger="command", today=TODAY)
    api_client.force_authenticate(coordinator)
    params = {"breakdown": "sector", **YEAR_2025}
    first = api_client.get(URL, params).json()

    with CaptureQueriesContext(connection) as again:
        kept = api_client.get(URL, params).json()
    assert kept == first
    assert measurement_reads(again) == 0

    worked_example(montreal)  # more spend, then a new snapshot: a new answer
    snapshot = refresh_snapshot(trigger="command", today=TODAY)
    with CaptureQueriesContext(connection) as after:
        fresh = api_client.get(URL, params).json()
    assert measurement_reads(after) > 0
    assert dt.datetime.fromisoformat(fresh["computed_at"]) == snapshot.computed_at
    assert by_code_of(fresh)["ees_spend"]["value"] != by_code_of(first)["ees_spend"]["value"]


def test_a_kept_answer_is_per_language_and_names_the_organization_as_it_is_now(
    api_client, officer, organization, example
):
    refresh_snapshot(trigger="command", today=TODAY)
    api_client.force_authenticate(officer)
    params = {"organization": organization.pk, "breakdown": "method", **YEAR_2025}
    french = api_client.get(URL, params, HTTP_ACCEPT_LANGUAGE="fr-ca").json()
    organization.name = "Ville renommée"
    organization.save()

    english = api_client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en").json()
    french_again = api_client.get(URL, params, HTTP_ACCEPT_LANGUAGE="fr-ca").json()

    assert by_code_of(english)["ees_spend"]["label"] != by_code_of(french)["ees_spend"]["label"]
    assert french_again["indicators"] == french["indicators"]
    assert french_again["scope"]["label"] == english["scope"]["label"] == "Ville renommée"


def test_a_live_answer_is_not_kept(api_client, coordinator, organization, example):
    refresh_snapshot(trigger="command", today=TODAY)
    custom = {"organization": organization.pk, "start": "2025-01-01", "end": "2025-03-01"}
    before = get(api_client, coordinator, **custom).json()
    worked_example(organization)  # no new snapshot: a custom period sees it at once

    after = get(api_client, coordinator, **custom).json()

    assert (before["source"], after["source"]) == ("live", "live")
    assert by_code_of(after)["ees_spend"]["value"] != by_code_of(before)["ees_spend"]["value"]


def test_a_kept_answer_is_only_given_to_those_who_may_read_it(
    api_client, coordinator, outsider, organization, example
):
    refresh_snapshot(trigger="command", today=TODAY)
    params = {"organization": organization.pk, **YEAR_2025}
    assert get(api_client, coordinator, **params).status_code == 200

    assert get(api_client, outsider, **params).status_code == 403


def test_the_browsable_api_and_json_are_kept_apart(client, coordinator, organization, example):
    refresh_snapshot(trigger="command", today=TODAY)
    client.force_login(coordinator)
    params = {"organization": organization.pk, **YEAR_2025}
    first = client.get(URL, params)

    page = client.get(URL, {**params, "format": "api"}, HTTP_ACCEPT="text/html")
    again = client.get(URL, params)

    assert first["Content-Type"] == again["Content-Type"] == "application/json"
    assert again.content == first.content
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert b"ees_spend" in page.content
