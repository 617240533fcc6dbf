"""Indicator benchmarks: dashboards and `/api/indicators/` from the snapshot, a custom period
computed live, and the full refresh, each beside hand-written SQL doing the same work.

- Standard periods are read from the latest snapshot (a fixed number of queries whatever the
  data); the dashboard also caches its rendered figures per snapshot, so it is timed warm
  (what every view after the first one costs), cold (the figures cache emptied before each
  run, the worst case: the snapshot reads, the SVG charts and the template) and as the first
  view after a refresh (the cache emptied, then warmed as refresh_snapshot warms it; only the
  view is timed).
- A custom period is computed live by indicators.kpis, one query or two per indicator.
- The refresh recomputes every indicator for every scope and standard period and writes the
  snapshot; its SQL counterpart computes the same aggregates into a temporary table in one
  script, without writing a snapshot.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from urllib.parse import urlencode

from benchmarks.harness import BenchContext, Measured, Operation

API = "/api/indicators/"


def year_of(today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)


def custom_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """Not a calendar year, quarter or month: always live."""
    return dt.date(today.year, 2, 3), dt.date(today.year, 8, 19)


def ensure_snapshot(today: dt.date) -> None:
    from indicators.models import Snapshot
    from indicators.services import refresh_snapshot

    if Snapshot.objects.latest_complete() is None:
        refresh_snapshot(trigger="command", today=today)


def operations(ctx: BenchContext) -> list[Operation]:
    from django.core.cache import cache
    from django.urls import reverse

    ensure_snapshot(ctx.today)
    organization_id = ctx.organization_id
    start, end = year_of(ctx.today)
    custom_start, custom_end = custom_period(ctx.today)
    dashboard = reverse("indicators:organization-dashboard", args=[organization_id])
    dashboard += "?" + urlencode({"start": start.isoformat(), "end": end.isoformat()})
    standard = {"organization": organization_id, "start": start, "end": end}
    custom = {"organization": organization_id, "start": custom_start, "end": custom_end}
    platform_sector = {"start": start, "end": end, "breakdown": "sector"}

    def get_dashboard():
        return ctx.officer_client.get(dashboard)

    def uncached(request):
        def run():
            cache.clear()  # the kept answers and figures (sessions are in the database)
            return request()

        return run

    def get_cold_dashboard():
        cache.clear()  # the rendered figures (sessions are in the database)
        return ctx.officer_client.get(dashboard)

    def warm_after_refresh():
        from indicators.models import Snapshot
        from indicators.warm import warm_dashboards

        cache.clear()
        return warm_dashboards(Snapshot.objects.latest_complete())

    def get_dashboard_after_refresh():
        from indicators.models import Snapshot
        from indicators.warm import warm_dashboards

        # A new snapshot has no figures in the cache; refresh_snapshot then warms them
        # (indicators.warm, with its time budget). Only the view that follows is timed.
        cache.clear()
        warm_dashboards(Snapshot.objects.latest_complete())
        gc.collect()  # the worker warms, not the web process: its garbage is not the view's
        started = time.perf_counter()
        response = ctx.officer_client.get(dashboard)
        elapsed_ms = (time.perf_counter() - started) * 1000
        if response.status_code >= 400:
            raise RuntimeError(f"HTTP {response.status_code}")
        return Measured(elapsed_ms, memory=False)

    def sql_snapshot_rows(organization, first, last, breakdowns=("",)):
        def run():
            with ctx.cursor() as cursor:
                sql, params = snapshot_rows_sql(organization)
                cursor.execute(sql, [*params, first, last, list(breakdowns)])
                return cursor.fetchall()

        return run

    def sql_dashboard():
        with ctx.cursor() as cursor:
            previous = (start.replace(year=start.year - 1), end.replace(year=end.year - 1))
            for first, last in ((start, end), previous):
                sql, params = snapshot_rows_sql(organization_id)
                cursor.execute(sql, [*params, first, last, [""]])
                cursor.fetchall()
            months = [f"{start.year}-{month:02d}" for month in range(1, 13)]
            cursor.execute(SNAPSHOT_MONTHS, [organization_id, months])
            return cursor.fetchall()

    def sql_live():
        with ctx.cursor() as cursor:
            cursor.execute(
                LIVE_SQL, {"org": organization_id, "start": custom_start, "end": custom_end}
            )
            return cursor.fetchall()

    def refresh():
        from indicators.services import refresh_snapshot

        # Deleting the old snapshots and warming the dashboards are tasks of their own,
        # queued once the snapshot commits: timed on their own below ("first view after a
        # refresh" shows what warming buys).
        return refresh_snapshot(trigger="command", today=ctx.today, warm=False, prune=False)

    def prune_after_refresh():
        from indicators.services import prune_snapshots

        return prune_snapshots()

    def sql_refresh():
        first = dt.date(ctx.today.year - 2, 1, 1)
        last = dt.date(ctx.today.year, 12, 31)
        with ctx.cursor() as cursor:
            cursor.execute("SET work_mem = '64MB'")
            for statement in REFRESH_SQL:
                cursor.execute(statement, {"first": first, "last": last})
            cursor.execute("SELECT count(*) FROM bench_refresh_cells")
            count = cursor.fetchone()[0]
            cursor.execute("RESET work_mem")
        return count

    return [
        Operation(
            name="Indicators dashboard, HTML, standard period (snapshot, figures cached)",
            app=get_dashboard,
            sql=sql_dashboard,
            note=(
                "Session, user, roles, the latest snapshot and the targets, then the figures "
                "rendered once per snapshot from the cache: independent of the data volume. "
                "SQL: the snapshot rows the page shows (year, previous year, months)."
            ),
        ),
        Operation(
            name="Indicators dashboard, HTML, standard period (snapshot, cold figures)",
            app=get_cold_dashboard,
            sql=sql_dashboard,
            repeat=10,
            warmup=1,
            note=(
                "The figures cache lost (the worst case; after a refresh they are warmed, "
                "see below): the queries of any view, one read of the snapshot for the "
                "year's months, sector and region parts and the previous year's totals "
                "(indicators.report.read_snapshots; a quarter's or a month's sector and "
                "region parts are computed live), the part labels, five SVG charts with "
                "their tables and about 600 numbers formatted: bounded by that Python work, "
                "not by the data volume."
            ),
        ),
        Operation(
            name="Indicators dashboard, HTML, first view after a refresh",
            app=get_dashboard_after_refresh,
            sql=sql_dashboard,
            repeat=10,
            warmup=1,
            note=(
                "The figures cache emptied, then warmed by indicators.warm exactly as "
                "refresh_snapshot does after each refresh (the all-organizations scope, then "
                "organizations by their members' latest sign-in, within WARM_SECONDS: the "
                "officer signed in last, so theirs is warmed); only the view is timed: it "
                "reads the figures from the cache."
            ),
        ),
        Operation(
            name="/api/indicators/ standard period (snapshot, answer cached)",
            app=lambda: ctx.officer_client.get(API, standard),
            sql=sql_snapshot_rows(organization_id, start, end),
            note=(
                "Session, user, roles and the latest snapshot, then the answer kept per "
                "snapshot, scope, dates, breakdown and language (indicators.api). SQL: the "
                "three queries on the snapshot's read index the answer is made from."
            ),
        ),
        Operation(
            name="/api/indicators/ standard period (snapshot, cold)",
            app=uncached(lambda: ctx.officer_client.get(API, standard)),
            sql=sql_snapshot_rows(organization_id, start, end),
            note="The cache emptied first: three queries on the read index; JSON of 27 indicators.",
        ),
        Operation(
            name="/api/indicators/ standard period, all organizations by sector (answer cached)",
            app=lambda: ctx.client.get(API, platform_sector),
            sql=sql_snapshot_rows(None, start, end, ("", "sector")),
            note=(
                "As above, for the all-organizations scope by sector (about 1 400 parts): "
                "the kept answer is written as JSON."
            ),
        ),
        Operation(
            name="/api/indicators/ standard period, all organizations by sector (cold)",
            app=uncached(lambda: ctx.client.get(API, platform_sector)),
            sql=sql_snapshot_rows(None, start, end, ("", "sector")),
            note=(
                "The cache emptied first: totals and stored sector parts of the "
                "all-organizations scope read, typed, labelled and written as JSON."
            ),
        ),
        Operation(
            name="/api/indicators/ custom period (live)",
            app=lambda: ctx.officer_client.get(API, custom),
            sql=sql_live,
            repeat=10,
            warmup=1,
            note=(
                "One query or two per indicator on the organization's records (indexed by "
                "organization and date); the directory-wide offer counts dominate."
            ),
        ),
        Operation(
            name="Dashboard warming after a refresh (worker task)",
            app=warm_after_refresh,
            sql=None,
            repeat=1,
            warmup=0,
            unit="s",
            note=(
                "The task queued once a snapshot commits: the all-organizations scope, then "
                "organizations by their members' latest sign-in, at most WARM_ORGANIZATIONS "
                "within WARM_SECONDS, in every language. Users already read the new snapshot "
                "meanwhile; a dashboard it did not reach renders on its first view."
            ),
        ),
        Operation(
            name="Full indicator refresh",
            app=refresh,
            sql=sql_refresh,
            repeat=3,
            warmup=0,
            unit="s",
            note=(
                "Facts tables (one pass over awards, invitations, bids), GROUP BYs per "
                "family, roll-ups in Python, COPY of the measurement rows into the "
                "snapshot's own table, indexed then attached as its partition. SQL: the same "
                "aggregates into a temporary table, nothing written to the snapshot."
            ),
        ),
        Operation(
            name="Old snapshots deleted after a refresh (worker task)",
            app=prune_after_refresh,
            sql=None,
            repeat=1,
            warmup=0,
            unit="s",
            note=(
                "The task queued once a snapshot commits: every snapshot but the three latest "
                "complete ones: their measurement partitions (here those of the refreshes "
                "above) dropped, then the rows left and the snapshots deleted. Readers "
                "meanwhile read the latest snapshot."
            ),
        ),
    ]


SNAPSHOT_ROWS = """
SELECT code, breakdown, key, value, numerator, denominator
FROM indicators_measurement
WHERE snapshot_id = (
    SELECT id FROM indicators_snapshot WHERE status = 'complete'
    ORDER BY computed_at DESC, id DESC LIMIT 1
)
  AND {scope} AND cohort_id IS NULL
  AND start = %s AND "end" = %s AND breakdown = ANY(%s)
"""


def snapshot_rows_sql(organization) -> tuple[str, list]:
    """The statement and its first parameters: `=` or IS NULL, which the read index serves
    (IS NOT DISTINCT FROM would not use it)."""
    if organization is None:
        return SNAPSHOT_ROWS.format(scope="organization_id IS NULL"), []
    return SNAPSHOT_ROWS.format(scope="organization_id = %s"), [organization]


SNAPSHOT_MONTHS = """
SELECT code, period, value, numerator, denominator
FROM indicators_measurement
WHERE snapshot_id = (
    SELECT id FROM indicators_snapshot WHERE status = 'complete'
    ORDER BY computed_at DESC, id DESC LIMIT 1
)
  AND organization_id = %s AND cohort_id IS NULL AND breakdown = '' AND period = ANY(%s)
"""

# The main live aggregates for one organization and a custom period, in one statement.
LIVE_SQL = """
WITH awards AS (
    SELECT a.id, a.enterprise_id, a.organization_id, a.awarded_on, a.amount, p.method,
           e.status = 'verified' AS ees
    FROM procurement_award a
    JOIN procurement_procurementprocess p ON p.id = a.process_id
    JOIN directory_enterprise e ON e.id = a.enterprise_id
    WHERE a.organization_id = %(org)s AND a.status = 'active'
      AND a.awarded_on BETWEEN %(start)s AND %(end)s
)
SELECT
    (SELECT sum(amount) FROM awards),
    (SELECT sum(amount) FILTER (WHERE ees) FROM awards),
    (SELECT sum(amount) FILTER (WHERE ees AND method = 'open') FROM awards),
    (SELECT sum(amount) FILTER (WHERE ees AND method = 'invitation') FROM awards),
    (SELECT sum(amount) FILTER (WHERE ees AND method = 'direct') FROM awards),
    (SELECT count(*) FILTER (WHERE ees) FROM awards),
    (SELECT count(DISTINCT enterprise_id) FILTER (WHERE ees) FROM awards),
    (SELECT count(*) FROM awards w WHERE ees AND NOT EXISTS (
        SELECT 1 FROM procurement_award b
        WHERE b.status = 'active' AND b.enterprise_id = w.enterprise_id
          AND b.organization_id = w.organization_id
          AND (b.awarded_on, b.id) < (w.awarded_on, w.id))),
    (SELECT count(*) FROM awards w WHERE ees AND EXISTS (
        SELECT 1 FROM procurement_businesscontact c
        JOIN procurement_activity t ON t.id = c.activity_id
        WHERE t.kind = 'matchmaking' AND t.date <= w.awarded_on
          AND c.enterprise_id = w.enterprise_id AND c.organization_id = w.organization_id)),
    (SELECT count(DISTINCT i.enterprise_id) FROM procurement_invitation i
        JOIN procurement_procurementprocess p ON p.id = i.process_id
        JOIN directory_enterprise e ON e.id = i.enterprise_id
        WHERE p.organization_id = %(org)s AND p.method = 'invitation' AND e.status = 'verified'
          AND i.invited_on BETWEEN %(start)s AND %(end)s),
    (SELECT count(DISTINCT b.enterprise_id) FROM procurement_bid b
        JOIN procurement_procurementprocess p ON p.id = b.process_id
        JOIN directory_enterprise e ON e.id = b.enterprise_id
        WHERE p.organization_id = %(org)s AND e.status = 'verified'
          AND b.submitted_on BETWEEN %(start)s AND %(end)s),
    (SELECT count(DISTINCT r.enterprise_id) FROM directory_supplierregistration r
        JOIN directory_enterprise e ON e.id = r.enterprise_id
        WHERE r.organization_id = %(org)s AND e.status = 'verified'
          AND r.registered_on <= %(end)s
          AND (r.withdrawn_on IS NULL OR r.withdrawn_on > %(end)s)),
    (SELECT count(*) FROM procurement_businesscontact c
        JOIN directory_enterprise e ON e.id = c.enterprise_id
        WHERE c.organization_id = %(org)s AND e.status = 'verified'
          AND c.date BETWEEN %(start)s AND %(end)s),
    (SELECT sum(t.participants) FROM procurement_activity t
        JOIN procurement_activity_organizations o ON o.activity_id = t.id
        WHERE o.organization_id = %(org)s AND t.date BETWEEN %(start)s AND %(end)s),
    (SELECT count(*) FROM directory_enterprise e
        WHERE e.status = 'verified' AND e.is_published AND e.created_at::date <= %(end)s)
"""

# Every scope's and standard period's main aggregates into one temporary table: award facts
# with the relationship flag by a window, then GROUPING SETS over organization × period × part.
REFRESH_SQL = [
    "DROP TABLE IF EXISTS bench_refresh_facts",
    "DROP TABLE IF EXISTS bench_refresh_cells",
    """
    CREATE TEMPORARY TABLE bench_refresh_facts AS
    SELECT f.*
    FROM (
        SELECT a.organization_id AS org, a.enterprise_id AS ent, a.awarded_on, a.amount,
               extract(year FROM a.awarded_on)::int AS yr,
               extract(quarter FROM a.awarded_on)::int AS qr,
               extract(month FROM a.awarded_on)::int AS mon,
               p.method, e.primary_sector_id AS sector, e.region_id AS region,
               (e.status = 'verified')::int AS ees,
               (row_number() OVER (PARTITION BY a.organization_id, a.enterprise_id
                                   ORDER BY a.awarded_on, a.id) = 1)::int AS new
        FROM procurement_award a
        JOIN procurement_procurementprocess p ON p.id = a.process_id
        JOIN directory_enterprise e ON e.id = a.enterprise_id
        WHERE a.status = 'active' AND a.awarded_on <= %(last)s
    ) f
    WHERE f.awarded_on >= %(first)s
    """,
    """
    CREATE TEMPORARY TABLE bench_refresh_cells AS
    SELECT org, yr, qr, mon, method, sector, region,
           sum(amount) AS total_spend, sum(ees * amount) AS ees_spend,
           sum(ees) AS ees_contracts, sum(ees * new) AS ees_contracts_new,
           count(DISTINCT ent) FILTER (WHERE ees = 1) AS ees_winning
    FROM bench_refresh_facts
    GROUP BY GROUPING SETS (
        (org, yr), (org, yr, qr), (org, yr, mon),
        (yr), (yr, qr), (yr, mon),
        (yr, method), (yr, qr, method), (yr, mon, method),
        (yr, sector), (yr, qr, sector), (yr, mon, sector),
        (yr, region), (yr, qr, region), (yr, mon, region)
    )
    """,
]
