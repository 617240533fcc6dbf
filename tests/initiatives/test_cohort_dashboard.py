"""The cohort page's results in figures, and the cohort's exports."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.services import refresh_snapshot
from tests.factories import EnterpriseFactory, MembershipFactory, OfferingFactory
from tests.indicators.factories_cohort import cohort_data_set
from tests.indicators.factories_engine import award
from tests.initiatives.factories import CohortEnterpriseFactory, CohortOrganizationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)


@pytest.fixture
def data():
    return cohort_data_set()


def cohort_page(client, cohort):
    return client.get(reverse("initiatives:cohort", args=[cohort.pk]))


def figures(response) -> dict[str, str]:
    """{indicator code: value shown} of the results table."""
    html = response.content.decode()
    rows = {}
    for chunk in html.split('<tr data-code="')[1:]:
        code = chunk.split('"', 1)[0]
        value = chunk.split('<td class="num">', 1)[1].split("</td>", 1)[0]
        rows[code] = value
    return rows


def test_a_coordinator_sees_the_cohorts_results_in_figures_in_french(client, coordinator, data):
    client.force_login(coordinator)

    response = cohort_page(client, data["cohort"])

    assert response.status_code == 200
    shown = figures(response)
    assert shown["ees_contracts"] == "2"
    assert shown["ees_spend"] == "40\xa0000,00\xa0$"
    assert shown["ees_contracts_new_relationship_share"] == "50,0\xa0%"
    assert shown["ees_published"] == "2"
    assert shown["organizations_with_ees_contract_share"] == "2"
    assert shown["activity_participants"] == "52"
    assert shown["people_trained"] == "1"
    assert "Résultats en chiffres" in response.content.decode()


def test_the_staff_of_a_participating_organization_sees_the_figures(client, data):
    member = MembershipFactory(organization=data["inside_b"], role="buyer").user
    client.force_login(member)

    assert figures(cohort_page(client, data["cohort"]))["ees_contracts"] == "2"


@pytest.mark.parametrize("who", ["outsider", "stranger", "visitor"])
def test_others_see_the_cohort_page_without_its_figures(request, client, data, who):
    if who == "outsider":
        client.force_login(MembershipFactory(organization=data["outside"], role="manager").user)
    elif who == "stranger":
        client.force_login(request.getfixturevalue("stranger"))

    response = cohort_page(client, data["cohort"])

    assert response.status_code == 200
    assert figures(response) == {}
    assert reverse("indicators:cohort-export", args=[data["cohort"].pk, "csv"]) not in (
        response.content.decode()
    )


def test_the_page_counts_activities_held_and_people_reached_by_type(client, coordinator, data):
    client.force_login(coordinator)

    html = cohort_page(client, data["cohort"]).content.decode()

    # In the cohort: a matchmaking of 40 people (its organization) and a training of 12 (its
    # EÉS). Not in it: an awareness session of another organization, a matchmaking before.
    rows = {
        chunk.split('"', 1)[0]: [
            cell.split("</td>", 1)[0] for cell in chunk.split('<td class="num">')[1:3]
        ]
        for chunk in html.split('<tr data-kind="')[1:]
    }
    assert rows["matchmaking"] == ["1", "40"]
    assert rows["training"] == ["1", "12"]
    assert rows["awareness"] == ["0", "0"]
    assert "Activités tenues" in html


def test_the_page_reads_a_constant_number_of_queries_from_the_snapshot(client, coordinator, data):
    client.force_login(coordinator)
    refresh_snapshot(trigger="command", today=TODAY)
    with CaptureQueriesContext(connection) as small:
        assert cohort_page(client, data["cohort"]).status_code == 200

    # More records and participants: the same queries, one of them reading the snapshot.
    for n in range(6):
        enterprise = EnterpriseFactory(name=f"Coop ajoutée {n}")
        OfferingFactory(enterprise=enterprise)
        CohortEnterpriseFactory(cohort=data["cohort"], enterprise=enterprise)
        award(data["inside_a"], enterprise, dt.date(2025, 7, n + 1), "1000.00")
    CohortOrganizationFactory(cohort=data["cohort"])
    refresh_snapshot(trigger="command", today=TODAY)
    with CaptureQueriesContext(connection) as large:
        response = cohort_page(client, data["cohort"])

    assert figures(response)["ees_contracts"] == "8"
    snapshot_reads = [q for q in large.captured_queries if "indicators_measurement" in q["sql"]]
    assert len(snapshot_reads) == 1
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_cohort_csv_export_holds_every_indicator_over_the_cohort_dates(
    client, coordinator, data
):
    client.force_login(coordinator)

    response = client.get(reverse("indicators:cohort-export", args=[data["cohort"].pk, "csv"]))

    assert response.status_code == 200
    assert (
        f"cohorte-{data['cohort'].pk}-2025-02-01-2026-01-31.csv" in response["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    totals = {row[1]: row[7] for row in rows[1:] if row[4] == ""}
    assert totals["ees_contracts"] == "2"
    assert totals["ees_spend"] == "40000.00"
    assert totals["people_trained"] == "1"
    assert rows[1][0] == str(data["cohort"])


def test_the_cohort_xlsx_export_is_a_workbook(client, coordinator, data):
    client.force_login(coordinator)

    response = client.get(reverse("indicators:cohort-export", args=[data["cohort"].pk, "xlsx"]))

    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_an_outsider_cannot_export_a_cohort(client, data):
    client.force_login(MembershipFactory(organization=data["outside"], role="manager").user)

    response = client.get(reverse("indicators:cohort-export", args=[data["cohort"].pk, "csv"]))

    assert response.status_code == 403


def test_an_unknown_cohort_export_is_a_404(client, coordinator):
    client.force_login(coordinator)

    assert client.get(reverse("indicators:cohort-export", args=[999999, "csv"])).status_code == 404
