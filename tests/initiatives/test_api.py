"""/api/initiatives/ and /api/cohorts/: staff read, coordinators write, bad input is a 400."""

import pytest

from portal.initiatives.models import Cohort, Initiative
from tests.initiatives.factories import (
    CohortEnterpriseFactory,
    CohortFactory,
    CohortOrganizationFactory,
    InitiativeFactory,
)

pytestmark = pytest.mark.django_db


def test_a_buyer_reads_cohorts_with_their_participants(api_client, buyer):
    cohort = CohortFactory(name="Projet pilote")
    participation = CohortOrganizationFactory(cohort=cohort)
    enterprise = CohortEnterpriseFactory(cohort=cohort).enterprise
    api_client.force_authenticate(buyer)

    response = api_client.get("/api/cohorts/")

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["name"] == "Projet pilote"
    assert row["organizations"] == [
        {
            "organization": participation.organization_id,
            "organization_name": participation.organization.name,
            "commitment_signed_on": "2025-02-01",
        }
    ]
    assert row["enterprise_ids"] == [enterprise.pk]


def test_cohorts_are_filtered_by_initiative_and_active_day(api_client, buyer):
    pilot = CohortFactory(start="2013-01-01", end="2015-12-31")
    CohortFactory(initiative=pilot.initiative, start="2016-01-01", end="2017-12-31")
    CohortFactory()
    api_client.force_authenticate(buyer)

    response = api_client.get(
        "/api/cohorts/", {"initiative": pilot.initiative_id, "active_on": "2014-06-01"}
    )

    assert [row["id"] for row in response.json()["results"]] == [pilot.pk]


def test_the_cohort_list_costs_the_same_queries_for_many_cohorts(
    api_client, buyer, django_assert_num_queries
):
    api_client.force_authenticate(buyer)
    CohortOrganizationFactory()
    api_client.get("/api/cohorts/")
    with django_assert_num_queries(4):
        api_client.get("/api/cohorts/")
    for _ in range(5):
        CohortEnterpriseFactory(cohort=CohortOrganizationFactory().cohort)
    with django_assert_num_queries(4):
        api_client.get("/api/cohorts/")


def test_a_visitor_and_a_representative_without_organization_cannot_read(api_client, stranger):
    CohortFactory()

    assert api_client.get("/api/cohorts/").status_code in (401, 403)
    api_client.force_authenticate(stranger)
    assert api_client.get("/api/initiatives/").status_code == 403


def test_a_coordinator_creates_an_initiative_and_a_cohort(api_client, coordinator):
    api_client.force_authenticate(coordinator)

    initiative = api_client.post(
        "/api/initiatives/",
        {"name": "L'économie sociale, j'achète!", "coordinating_body": "CESIM"},
        format="json",
    )
    cohort = api_client.post(
        "/api/cohorts/",
        {
            "initiative": initiative.json()["id"],
            "name": "Deuxième cohorte",
            "start": "2016-01-01",
            "end": "2017-12-31",
        },
        format="json",
    )

    assert initiative.status_code == 201
    assert initiative.json()["slug"] == "leconomie-sociale-jachete"
    assert cohort.status_code == 201
    assert Cohort.objects.get().initiative.name == "L'économie sociale, j'achète!"


def test_a_cohort_with_inverted_dates_is_a_400_in_french(api_client, coordinator):
    initiative = InitiativeFactory()
    api_client.force_authenticate(coordinator)

    response = api_client.post(
        "/api/cohorts/",
        {"initiative": initiative.pk, "name": "C", "start": "2017-01-01", "end": "2016-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["end"] == [
        "La date de fin doit être égale ou postérieure à la date de début."
    ]
    assert not Cohort.objects.exists()


def test_patching_a_cohort_into_inverted_dates_is_refused(api_client, coordinator):
    cohort = CohortFactory(start="2016-01-01", end="2017-12-31")
    api_client.force_authenticate(coordinator)

    response = api_client.patch(f"/api/cohorts/{cohort.pk}/", {"end": "2015-01-01"}, format="json")

    assert response.status_code == 400
    cohort.refresh_from_db()
    assert str(cohort.end) == "2017-12-31"


def test_a_coordinator_adds_an_organization_to_a_cohort(api_client, coordinator, organization):
    cohort = CohortFactory()
    api_client.force_authenticate(coordinator)
    url = f"/api/cohorts/{cohort.pk}/organizations/"
    payload = {"organization": organization.pk, "commitment_signed_on": "2025-01-15"}

    created = api_client.post(url, payload, format="json")
    again = api_client.post(url, payload, format="json")

    assert created.status_code == 201
    assert created.json()["organizations"][0]["organization_name"] == "Ville de Longueuil"
    assert again.status_code == 400
    assert again.json()["non_field_errors"] == ["Cette organisation participe déjà à la cohorte."]


def test_an_outsider_reads_but_cannot_write(api_client, outsider, organization):
    cohort = CohortFactory()
    api_client.force_authenticate(outsider)

    read = api_client.get(f"/api/cohorts/{cohort.pk}/")
    create = api_client.post("/api/initiatives/", {"name": "X", "coordinating_body": "Y"})
    add = api_client.post(
        f"/api/cohorts/{cohort.pk}/organizations/",
        {"organization": organization.pk, "commitment_signed_on": "2025-01-15"},
    )

    assert read.status_code == 200
    assert create.status_code == 403
    assert add.status_code == 403
    assert not Initiative.objects.exclude(pk=cohort.initiative_id).exists()
    assert cohort.organization_ids() == []


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    assert "/api/cohorts/" in schema["paths"]
    assert "/api/cohorts/{id}/organizations/" in schema["paths"]
    assert "/api/initiatives/" in schema["paths"]
