"""After a refresh the dashboards' figures are warmed: the first view reads them from the cache,
a failing warmer never fails the refresh, and a cold view keeps a small, fixed query budget."""

import datetime as dt
import logging

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators import views, warm
from indicators.models import Snapshot
from indicators.report import read_snapshot
from indicators.services import refresh_snapshot
from portal.accounts.models import Membership
from tests.factories import MembershipFactory, OrganizationFactory
from tests.indicators.factories_engine import rich_data_set, worked_example
from tests.indicators.factories_pages import YEAR_2025, large_parts, write_snapshot

pytestmark = pytest.mark.django_db

# Session, user, organization, roles (2), the latest snapshot and the targets.
CACHED_VIEW_QUERIES = 7


def dashboard(organization) -> str:
    return reverse("indicators:organization-dashboard", args=[organization.pk])


def refreshed(django_capture_on_commit_callbacks) -> Snapshot:
    """A refresh as the worker runs it: the warming runs once the snapshot is committed."""
    with django_capture_on_commit_callbacks(execute=True):
        return refresh_snapshot(trigger="command")


def queries_of(client, url, **params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def figures(page: str) -> str:
    return page.split('<p class="freshness">')[1].split("</main>")[0]


@pytest.fixture
def signed_in(client, manager, organization):
    worked_example(organization)
    client.force_login(manager)
    client.get(reverse("indicators:index"))  # the session is warm
    return client


def test_the_first_view_after_a_refresh_reads_the_warmed_figures(
    signed_in, organization, django_capture_on_commit_callbacks
):
    refreshed(django_capture_on_commit_callbacks)

    after_refresh, warmed_page = queries_of(signed_in, dashboard(organization))
    cache.clear()
    cold, cold_page = queries_of(signed_in, dashboard(organization))

    assert after_refresh == CACHED_VIEW_QUERIES
    assert after_refresh < cold
    assert figures(warmed_page) == figures(cold_page)


def test_the_warmed_figures_are_those_of_the_default_period_chosen_explicitly(
    signed_in, organization, django_capture_on_commit_callbacks
):
    refreshed(django_capture_on_commit_callbacks)
    year = timezone.localdate().year

    count, _page = queries_of(signed_in, dashboard(organization), kind="year", year=year)

    assert count == CACHED_VIEW_QUERIES


def test_every_language_is_warmed(signed_in, organization, django_capture_on_commit_callbacks):
    refreshed(django_capture_on_commit_callbacks)
    signed_in.post(reverse("set_language"), {"language": "en", "next": "/"})

    count, page = queries_of(signed_in, dashboard(organization))

    assert count == CACHED_VIEW_QUERIES
    assert "Results in figures" in page


def test_the_platform_and_public_dashboards_share_the_warmed_all_organizations_figures(
    client, coordinator, organization, django_capture_on_commit_callbacks
):
    worked_example(organization)
    refreshed(django_capture_on_commit_callbacks)
    client.force_login(coordinator)
    client.get(reverse("indicators:index"))
    url = reverse("indicators:platform-dashboard")

    after_refresh, _page = queries_of(client, url)
    cache.clear()
    cold, _page = queries_of(client, url)

    assert after_refresh < cold
    client.logout()
    public, _page = queries_of(client, reverse("indicators:public-dashboard"))
    cache.clear()
    public_cold, _page = queries_of(client, reverse("indicators:public-dashboard"))
    assert public < public_cold


def test_a_failing_warmer_does_not_fail_the_refresh(
    organization, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    worked_example(organization)

    def broken(*args, **kwargs):
        raise RuntimeError("the cache is down")

    monkeypatch.setattr(views, "figures_html", broken)
    with caplog.at_level(logging.ERROR, logger="indicators.warm"):
        snapshot = refreshed(django_capture_on_commit_callbacks)

    assert snapshot.status == Snapshot.Status.COMPLETE
    assert Snapshot.objects.latest_complete() == snapshot
    assert f"Warming the dashboards after snapshot #{snapshot.pk} failed" in caplog.text


def test_a_warmer_that_raises_anyway_does_not_fail_the_refresh(
    organization, monkeypatch, django_capture_on_commit_callbacks
):
    worked_example(organization)

    def broken(snapshot):
        raise RuntimeError("a bug in the warmer")

    monkeypatch.setattr(warm, "warm_dashboards", broken)

    snapshot = refreshed(django_capture_on_commit_callbacks)

    assert Snapshot.objects.latest_complete() == snapshot


def test_a_refresh_inside_a_transaction_warms_only_once_it_commits(signed_in, organization):
    refresh_snapshot(trigger="command")  # the test's transaction never commits

    count, _page = queries_of(signed_in, dashboard(organization))

    assert count > CACHED_VIEW_QUERIES


def test_warming_stops_at_its_time_limit_after_the_all_organizations_scope(signed_in, organization):
    snapshot = refresh_snapshot(trigger="command")

    assert warm.warm_dashboards(snapshot, seconds=0) == 1  # all organizations only

    count, _page = queries_of(signed_in, dashboard(organization))
    assert count > CACHED_VIEW_QUERIES


def test_every_active_organization_is_warmed_within_the_time_limit(organization):
    worked_example(organization)
    others = [OrganizationFactory() for _ in range(3)]
    snapshot = refresh_snapshot(trigger="command")

    assert warm.warm_dashboards(snapshot) == 1 + 1 + len(others)


def test_at_most_so_many_organizations_are_warmed(organization, monkeypatch):
    worked_example(organization)
    for _ in range(3):
        OrganizationFactory()
    snapshot = refresh_snapshot(trigger="command")
    monkeypatch.setattr(warm, "WARM_ORGANIZATIONS", 2)

    assert warm.warm_dashboards(snapshot) == 1 + 2


def test_organizations_whose_members_signed_in_recently_are_warmed_first(db):
    never, earlier, lately = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    for organization, days_ago in ((earlier, 30), (lately, 1)):
        user = MembershipFactory(organization=organization, role=Membership.Role.OFFICER).user
        user.last_login = timezone.now() - dt.timedelta(days=days_ago)
        user.save(update_fields=["last_login"])

    assert list(warm.organizations_to_warm()) == [lately, earlier, never]


def test_a_snapshot_without_the_default_period_is_not_warmed(organization):
    snapshot = write_snapshot(scopes=[None, organization.pk], periods=[YEAR_2025])
    snapshot.measurements.update(start=dt.date(2000, 1, 1), end=dt.date(2000, 12, 31))

    assert warm.warm_dashboards(snapshot) == 0


# --- the cold view --------------------------------------------------------------------------
def test_a_cold_view_reads_every_breakdown_and_the_previous_year_in_one_query(
    signed_in, organization, django_assert_num_queries
):
    rich_data_set()
    refresh_snapshot(trigger="command")
    cache.clear()

    # The 7 of a cached view, then one query for the year, its months, its sector and region
    # parts and the previous year's totals, and the labels of the sectors and regions (2).
    with django_assert_num_queries(CACHED_VIEW_QUERIES + 3):
        response = signed_in.get(dashboard(organization), {"kind": "year", "year": 2025})

    assert "Données calculées le" in response.content.decode()


def test_a_dashboard_reads_only_the_parts_its_charts_and_tables_show(organization):
    snapshot = write_snapshot(scopes=[organization.pk], parts=large_parts(sectors=5))
    every = read_snapshot(organization_id=organization.pk, breakdown="sector", **_year())
    shown = read_snapshot(
        organization_id=organization.pk,
        breakdown="sector",
        snapshot=snapshot,
        codes=["ees_spend", "ees_winning"],
        **_year(),
    )

    assert {code: v.value for code, v in shown.values.items()} == {
        code: v.value for code, v in every.values.items()
    }
    assert shown["ees_spend"].parts == every["ees_spend"].parts
    assert shown["ees_winning"].parts == every["ees_winning"].parts
    assert every["ees_contracts"].parts
    assert shown["ees_contracts"].parts == []


def _year() -> dict:
    return {"start": YEAR_2025[0], "end": YEAR_2025[1]}
