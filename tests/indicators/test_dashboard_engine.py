"""The dashboard on snapshots written by the real engine: records in, the same figures out."""

import datetime as dt
import html
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Snapshot
from indicators.services import refresh_snapshot
from tests.indicators.factories_engine import worked_example
from tests.indicators.factories_pages import fresh_cache  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

END_OF_2025 = dt.date(2025, 12, 31)


def text(response) -> str:
    return html.unescape(response.content.decode())


def row(page: str, code: str) -> str:
    return page.split(f'id="indicator-{code}"')[1].split("</tr>")[0]


def test_the_worked_example_reaches_the_dashboard_through_a_snapshot(client, manager, organization):
    worked_example(organization)
    refresh_snapshot(trigger="command", today=END_OF_2025)
    client.force_login(manager)

    response = client.get(
        reverse("indicators:organization-dashboard", args=[organization.pk]), {"year": 2025}
    )

    page = text(response)
    assert "Données calculées le" in page  # read from the snapshot, not computed live
    for code, shown in [
        ("ees_spend", "40\xa0000,00\xa0$"),
        ("ees_spend_invitation", "30\xa0000,00\xa0$"),
        ("ees_spend_direct", "10\xa0000,00\xa0$"),
        ("ees_spend_tender", "30\xa0000,00\xa0$"),
        ("total_spend", "140\xa0000,00\xa0$"),
        ("ees_spend_share", "28,6\xa0%"),
        ("ees_registered", "1"),
        ("ees_invited", "1"),
        ("ees_bidding", "1"),
        ("ees_winning", "2"),
        ("ees_registered_winning_share", "100,0\xa0%"),
        ("ees_contracts", "2"),
        ("ees_contracts_new_relationship", "1"),
        ("ees_contracts_new_relationship_share", "50,0\xa0%"),
        ("ees_contracts_after_matchmaking", "1"),
        ("ees_contracts_after_matchmaking_share", "50,0\xa0%"),
    ]:
        assert f'<td class="num">{shown}</td>' in row(page, code), code
    # The months of the spend chart come from the snapshot's month periods.
    march = page.split('<th scope="row">mars 2025</th>')[1].split("</tr>")[0]
    assert march.count('<td class="num">30\xa0000,00\xa0$</td>') == 2  # invitation, total


def test_the_refresh_button_writes_a_new_snapshot(
    client, manager, organization, django_capture_on_commit_callbacks
):
    worked_example(organization)
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("indicators:refresh"))

    assert response.status_code == 302
    snapshot = Snapshot.objects.latest_complete()
    assert snapshot.trigger == Snapshot.Trigger.MANUAL
    year = dt.date.today().year
    page = text(
        client.get(
            reverse("indicators:organization-dashboard", args=[organization.pk]), {"year": year}
        )
    )
    assert "Données calculées le" in page


def test_the_xlsx_export_of_an_engine_snapshot_matches_the_dashboard(client, manager, organization):
    worked_example(organization)
    refresh_snapshot(trigger="command", today=END_OF_2025)
    client.force_login(manager)

    response = client.get(
        reverse("indicators:organization-export", args=[organization.pk, "xlsx"]), {"year": 2025}
    )

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    spend = {(r[4], r[5]): r[7] for r in rows[1:] if r[1] == "ees_spend"}
    assert float(spend[(None, None)]) == 40000
    assert float(spend[("method", "invitation")]) == 30000
    assert float(spend[("month", "2025-06")]) == 10000
