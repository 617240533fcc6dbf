"""Indicator snapshots: every indicator, every scope, every standard period, in few queries.

`refresh_snapshot()` computes the measurements of every organization's scope and of the
all-organizations scope for each year, quarter and month of the current and previous two
years, with the method, sector, region and activity-kind breakdowns, and writes them in one
transaction: readers keep seeing the previous complete snapshot until it commits.

The computation is set-based so that it scales with the number of groups, not of records:
a handful of GROUP BY queries per family covers every scope and period at once.
- Awards, invitations and bids are first copied once into narrow temporary tables ("facts":
  organization, enterprise, year, month, method, sector, region, flags), so that the many
  GROUP BY queries below neither join nor re-run the per-award relationship subqueries
  (answered from the award_active_pair_idx index alone, for EÉS awards only).
- Sums and counts are grouped by organization and month (totals) and by month and part (the
  all-organizations scope's parts) in one pass (GROUPING SETS on PostgreSQL), then rolled up
  in Python into quarters, years and the all-organizations scope (the rows rolled up are
  groups, not records).
- Distinct counts (EÉS invited, bidding, winning; organizations with an EÉS contract) cannot
  be rolled up: each is grouped per period kind (year, quarter, month) and per scope kind
  (organization, all), as DISTINCT rows then a count (hashed, not sorted); an enterprise's
  sector and region parts come from the same distinct rows. They read facts tables of their
  own, on two more database connections where possible (`alongside`): PostgreSQL then uses
  every core.
- "As of" counts: registrations become bits of the month ends they are active on
  (add_registrations); the directory uses one conditional aggregate per month end. Every
  standard period ends at a month end.
What is stored: every total of the all-organizations scope and period, and every non-zero
total of an organization (with report.PRESENCE_CODE, which marks it present; the offer is
read from the all-organizations rows); breakdown parts by method, sector and
region for the all-organizations scope, and for one organization in calendar years only
(report.LIVE_ORGANIZATION_BREAKDOWNS: an organization's month or quarter parts hold one or two
awards each, more rows than records, and are computed live from its own records);
activity-kind parts for every scope. Month and organization
breakdowns are not stored twice: the reader takes them from the month periods and from each
organization's scope of the same snapshot (indicators.report). Empty parts are not stored.
Rows are built as they are written, with a binary COPY on PostgreSQL.

Money is summed exactly, in integer cents.

indicators.kpis computes the same numbers one indicator at a time; tests hold the two equal.
"""

import contextlib
import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from functools import partial
from itertools import accumulate, chain, islice

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.db.models import BigIntegerField, Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast, ExtractMonth, ExtractYear, Round
from django.utils import timezone

from directory.models import Enterprise, Offering, SupplierRegistration
from indicators.catalogue import BY_CODE, CATALOGUE, Unit
from indicators.cohorts import write_cohort_measurements
from indicators.models import Measurement, Snapshot
from indicators.report import (
    KIND,
    LIVE_ORGANIZATION_BREAKDOWNS,
    OFFER_CODES,
    PRESENCE_CODE,
    SHARE_DIGITS,
    STORED_BREAKDOWNS,
    Period,
    breakdowns_for,
    component_unit,
    month_key,
    quarter_key,
    standard_periods,
)
from indicators.training import people_trained_by_period
from portal.accounts.models import Organization
from procurement.models import Activity, Award, Bid, BusinessContact, Invitation, Method

logger = logging.getLogger(__name__)

ALL = None  # the all-organizations scope
KEEP_SNAPSHOTS = 3
# A snapshot still "running" after this long was killed; it is marked failed.
STALE_AFTER = dt.timedelta(hours=1)
WRITE_BATCH = 100_000
REFRESH_WORK_MEM = "64MB"
PENDING_KEY = "indicators:refresh-pending:{trigger}"

VERIFIED = Enterprise.Status.VERIFIED
METHODS = list(Method.values)
OPEN_BREAKDOWNS = ("sector", "region")
# Shares: (numerator measure, denominator measure).
SHARES = {
    "ees_spend_share": ("ees_spend", "total_spend"),
    "ees_registered_winning_share": ("ees_registered_winning", "ees_registered"),
    "ees_contracts_new_relationship_share": ("ees_contracts_new_relationship", "ees_contracts"),
    "ees_contracts_after_matchmaking_share": ("ees_contracts_after_matchmaking", "ees_contracts"),
    "organizations_with_ees_contract_share": ("organizations_with_ees_contract", "active"),
    "business_contacts_new_share": ("business_contacts_new", "business_contacts"),
}


class Grid:
    """Measures by (scope, period key, breakdown, part key); totals have breakdown '' and key
    ''. Scope is an organization id, or ALL. Money is in integer cents (number_maker turns it
    into dollars)."""

    def __init__(self):
        self.cells: dict[tuple, dict[str, Decimal | int]] = defaultdict(lambda: defaultdict(int))
        self.keys: dict[tuple, set[str]] = defaultdict(set)

    def add(self, scope, period: str, breakdown: str, key: str, measures: dict) -> None:
        cell = self.cells[(scope, period, breakdown, key)]
        for name, number in measures.items():
            if number:
                cell[name] += number
        if breakdown:
            self.keys[(scope, period, breakdown)].add(key)

    def merge(self, other: "Grid") -> None:
        """Add the measures of another grid (computed on another connection)."""
        for (scope, period, breakdown, key), measures in other.cells.items():
            self.add(scope, period, breakdown, key, measures)

    def get(self, scope, period: str, breakdown: str = "", key: str = "") -> dict:
        return self.cells.get((scope, period, breakdown, key), {})


def part_key(value) -> str:
    return "" if value is None else str(value)


def rolled_up(year: int, month: int) -> tuple[str, str, str]:
    """The standard periods a month counts in: itself, its quarter, its year."""
    return month_key(year, month), quarter_key(year, (month - 1) // 3 + 1), f"{year:04d}"


def by_month(date_field: str) -> dict:
    return {"_year": ExtractYear(date_field), "_month": ExtractMonth(date_field)}


class Facts:
    """The rows of a queryset, materialized once in a temporary table.

    Many GROUP BY queries then read a narrow table: no join, and the per-row subqueries of
    the queryset (relationship flags) run once per record instead of once per query. Columns
    are the names given to values(); the queries on them are plain SQL.
    """

    def __init__(self, name: str, queryset):
        self.table = connection.ops.quote_name(name)
        self.queryset = queryset

    def __enter__(self) -> "Facts":
        sql, params = self.queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            cursor.execute(f"CREATE TEMPORARY TABLE {self.table} AS {sql}", params)
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {self.table}")
        return self

    def __exit__(self, *failure) -> None:
        # After a failure the transaction may be unusable; the table goes with the session.
        with contextlib.suppress(Exception), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")

    def rows(self, columns: list[tuple[str, str]], *, group: int, where: str = "", params=()):
        """SELECT the (alias, expression) columns, grouped by the first `group` of them."""
        select = ", ".join(f"{expression} AS {alias}" for alias, expression in columns)
        sql = f"SELECT {select} FROM {self.table}"  # noqa: S608 - names from this module
        if where:
            sql += f" WHERE {where}"
        if group:
            sql += " GROUP BY " + ", ".join(str(n) for n in range(1, group + 1))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            aliases = [alias for alias, _expression in columns]
            return [dict(zip(aliases, row, strict=True)) for row in cursor.fetchall()]

    def grouped(self, sets: list[list[tuple[str, str]]], aggregates, *, params=()):
        """(index of the grouping set, row) of several GROUP BYs: one pass over the table with
        GROUPING SETS on PostgreSQL, one query per set elsewhere (SQLite has none)."""
        if connection.vendor != "postgresql":
            for index, group in enumerate(sets):
                for row in self.rows(group + aggregates, group=len(group), params=params):
                    yield index, row
            return
        expressions = list(dict.fromkeys(expression for group in sets for _a, expression in group))
        width = len(expressions)
        masks = {}  # GROUPING(...) of each set: a bit set for each expression it leaves out
        for index, group in enumerate(sets):
            kept = {expression for _alias, expression in group}
            bits = [expression not in kept for expression in expressions]
            masks[sum(1 << (width - 1 - n) for n, left_out in enumerate(bits) if left_out)] = index
        select = ", ".join(
            [f"GROUPING({', '.join(expressions)})"]
            + [f"{expression} AS _c{n}" for n, expression in enumerate(expressions)]
            + [f"{expression} AS {alias}" for alias, expression in aggregates]
        )
        sets_sql = ", ".join(
            "(" + ", ".join(expression for _alias, expression in group) + ")" for group in sets
        )
        sql = f"SELECT {select} FROM {self.table} GROUP BY GROUPING SETS ({sets_sql})"  # noqa: S608
        position = {expression: n + 1 for n, expression in enumerate(expressions)}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                index = masks[row[0]]
                values = {alias: row[position[expression]] for alias, expression in sets[index]}
                for n, (alias, _expression) in enumerate(aggregates):
                    values[alias] = row[1 + width + n]
                yield index, values

    def distinct_counts(
        self,
        group: list[tuple[str, str]],
        *,
        counted: str,
        where: str = "",
        parts: tuple[str, ...] = (),
    ):
        """(part, row) of COUNT(DISTINCT counted) per group, written as DISTINCT rows then
        COUNT(*): hashed, where PostgreSQL sorts every row for a COUNT(DISTINCT).

        `parts` are facts columns that are a function of `counted` (an enterprise's sector and
        region): the same distinct rows, grouped again by each part, count per group and part
        (part '' is the group itself; the part's value is `_key`). One pass over the facts
        for all of them (GROUPING SETS on PostgreSQL)."""
        columns = ", ".join(f"{expression} AS {alias}" for alias, expression in group)
        kept = "".join(f", {part}" for part in parts)
        inner = f"SELECT DISTINCT {columns}, {counted} AS _counted{kept} FROM {self.table}"  # noqa: S608
        if where:
            inner += f" WHERE {where}"
        aliases = [alias for alias, _expression in group]
        names = ", ".join(aliases)
        if parts and connection.vendor == "postgresql":
            keys = ", ".join(parts)
            sets = ", ".join([f"({names})"] + [f"({names}, {part})" for part in parts])
            sql = (
                f"SELECT GROUPING({keys}), {names}, {keys}, COUNT(*) FROM ({inner}) AS d "  # noqa: S608
                f"GROUP BY GROUPING SETS ({sets})"
            )
            # GROUPING(): a bit set for each part left out; all of them for the group itself.
            grouping = {(1 << len(parts)) - 1: ""}
            grouping |= {
                ((1 << len(parts)) - 1) ^ (1 << (len(parts) - 1 - n)): part
                for n, part in enumerate(parts)
            }
            with connection.cursor() as cursor:
                cursor.execute(sql)
                for bits, *row in cursor.fetchall():
                    part = grouping[bits]
                    values = dict(zip(aliases, row, strict=False))
                    values["_n"] = row[-1]
                    if part:
                        values["_key"] = row[len(aliases) + parts.index(part)]
                    yield part, values
            return
        for part in ("", *parts):
            outer = names + (f", {part}" if part else "")
            sql = f"SELECT {outer}, COUNT(*) FROM ({inner}) AS d GROUP BY {outer}"  # noqa: S608
            with connection.cursor() as cursor:
                cursor.execute(sql)
                for row in cursor.fetchall():
                    values = dict(zip(aliases, row, strict=False))
                    values["_n"] = row[-1]
                    if part:
                        values["_key"] = row[len(aliases)]
                    yield part, values


# Facts columns: organization, enterprise, year, month and the parts of each record.
FACT_PARTS = {"method": "method", "sector": "sector", "region": "region"}
PERIOD_COLUMNS = {
    "year": [("_year", "yr")],
    "quarter": [("_year", "yr"), ("_quarter", "(mon - 1) / 3 + 1")],
    "month": [("_year", "yr"), ("_month", "mon")],
}


def period_of(kind: str, row: dict) -> str:
    year = int(row["_year"])
    if kind == "year":
        return f"{year:04d}"
    if kind == "quarter":
        return quarter_key(year, int(row["_quarter"]))
    return month_key(year, int(row["_month"]))


def facts_of(queryset, *, organization: str, date: str, **columns):
    """values() of the columns every facts table has, and the given ones."""
    return queryset.values(
        org=F(organization),
        ent=F("enterprise_id"),
        yr=Cast(ExtractYear(date), IntegerField()),
        mon=Cast(ExtractMonth(date), IntegerField()),
        sector=F("enterprise__primary_sector_id"),
        region=F("enterprise__region_id"),
        **columns,
    ).order_by()  # a facts table is a set: sorting a million rows first is wasted


def one_if(condition) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0))


def award_facts(first: dt.date, last: dt.date):
    """Active awards of the window with their method, EÉS status and relationship flags
    (AwardQuerySet.with_relationship_flags: the definitions stay in one place)."""
    awards = Award.objects.active().between(first, last).with_relationship_flags(in_bulk=True)
    return facts_of(
        awards,
        organization="organization_id",
        date="awarded_on",
        # Money in cents: integer sums are exact on every database, and several times faster
        # than sums of decimals on PostgreSQL.
        cents=Cast(Round(F("amount") * 100), BigIntegerField()),
        method=F("process__method"),
        ees=one_if(Q(enterprise__status=VERIFIED)),
        # Only read for EÉS: the supplier's status is tested first, so the two per-award
        # subqueries run for EÉS awards only.
        new=one_if(Q(enterprise__status=VERIFIED) & Q(is_new_relationship=True)),
        after=one_if(Q(enterprise__status=VERIFIED) & Q(follows_matchmaking=True)),
    )


# --- Families ---------------------------------------------------------------------------
def add_awards(grid: Grid, awards: Facts) -> None:
    """Spend and contract counts: grouped by (organization, month) for the totals and by
    (month, part) for the all-organizations scope's parts, in one pass (Facts.grouped)."""
    sums = [
        ("total_spend", "SUM(cents)"),
        ("ees_spend", "SUM(ees * cents)"),
        ("ees_spend_open", "SUM(CASE WHEN method = %s THEN ees * cents END)"),
        ("ees_spend_invitation", "SUM(CASE WHEN method = %s THEN ees * cents END)"),
        ("ees_spend_direct", "SUM(CASE WHEN method = %s THEN ees * cents END)"),
        ("ees_contracts", "SUM(ees)"),
        ("ees_contracts_new_relationship", "SUM(ees * new)"),
        ("ees_contracts_after_matchmaking", "SUM(ees * after)"),
    ]
    params = [Method.OPEN, Method.INVITATION, Method.DIRECT]
    parts = ("method", *OPEN_BREAKDOWNS)
    breakdowns = ("", *parts, *parts)
    months = [("_year", "yr"), ("_month", "mon")]
    sets = [[("_organization", "org"), *months]]
    sets += [[*months, ("_key", FACT_PARTS[breakdown])] for breakdown in parts]
    sets += [  # an organization's parts: its years only
        [("_organization", "org"), ("_year", "yr"), ("_key", FACT_PARTS[breakdown])]
        for breakdown in parts
    ]
    for index, row in awards.grouped(sets, sums, params=params):
        breakdown = breakdowns[index]
        key = part_key(row["_key"]) if breakdown else ""
        measures = {name: row[name] for name, _sql in sums}  # money in cents (Grid)
        if "_month" not in row:
            grid.add(row["_organization"], f"{int(row['_year']):04d}", breakdown, key, measures)
            continue
        scopes = (ALL,) if breakdown else (row["_organization"], ALL)
        for period in rolled_up(int(row["_year"]), int(row["_month"])):
            for scope in scopes:
                grid.add(scope, period, breakdown, key, measures)


def add_distinct_enterprises(
    grid: Grid,
    measure: str,
    facts: Facts,
    where: str = "",
    counted: str = "ent",
    scope_kinds: tuple[bool, ...] = (True, False),
    method: str = "",
) -> None:
    """Distinct EÉS (or `counted`) per scope, period and part: grouped per period kind and
    scope kind (per organization or not; distinct counts cannot be rolled up). Parts for all
    organizations, and for one organization in years only.

    An enterprise has one sector and one region: the distinct rows of a period's enterprises
    also give its sector and region parts (Facts.distinct_counts), so the totals and those
    parts take one pass, the method parts another (an enterprise may bid by two methods).
    When every fact is of one `method` (invitations), its part is the total: no pass.
    """
    folded = OPEN_BREAKDOWNS if counted == "ent" else ()
    for kind, period_columns in PERIOD_COLUMNS.items():
        for per_organization in scope_kinds:
            group = [("_organization", "org")] if per_organization else []
            group += period_columns
            with_parts = not per_organization or kind == "year"  # else totals only
            copied = with_parts and bool(method)  # the method part is the total
            passes = [("", folded if with_parts else ())]
            if with_parts and not copied:
                passes.append(("method", ()))
            if with_parts:
                passes += [(breakdown, ()) for breakdown in OPEN_BREAKDOWNS if not folded]
            for breakdown, parts in passes:
                columns = group + ([("_key", FACT_PARTS[breakdown])] if breakdown else [])
                rows = facts.distinct_counts(columns, counted=counted, where=where, parts=parts)
                for part, row in rows:
                    scope = row["_organization"] if per_organization else ALL
                    name = part or breakdown
                    key = part_key(row["_key"]) if name else ""
                    measures = {measure: row["_n"]}
                    grid.add(scope, period_of(kind, row), name, key, measures)
                    if copied and not name:
                        grid.add(scope, period_of(kind, row), "method", method, measures)


def add_registrations(grid: Grid, periods: list[Period], awards: Facts) -> None:
    """EÉS registered as of each period's end, and those of them that won in the period.

    Every standard period ends at a month end. The registrations of an enterprise (with one
    organization, or with any of them in the all-organizations scope) become the month ends
    on which one of them is active, as the bits of an integer (month n of the window is bit
    n); its active awards become the months in which it won, likewise (of the same
    organization in an organization's scope). Counts are then runs of bits per enterprise:
    one query for the registrations and two on the award facts, instead of a distinct count
    per month end and part.
    """
    first = periods[0].start
    months = month_number(first, periods[-1].end) + 1
    end_of = {period: month_number(first, period.end) for period in periods}
    years = [period for period in periods if period.kind == "year"]
    ends = sorted({period.end for period in periods})
    registrations = (
        SupplierRegistration.objects.filter(
            enterprise__status=VERIFIED, registered_on__lte=ends[-1]
        )
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=ends[0]))
        .order_by()  # also read as subqueries below
    )
    fields = ("organization_id", "enterprise_id", "registered_on", "withdrawn_on")
    parts_of = ("enterprise__primary_sector_id", "enterprise__region_id")
    registered: dict[tuple, int] = defaultdict(int)  # (scope, enterprise): month-end bits
    parts: dict[int, tuple] = {}  # enterprise: its (breakdown, key) parts, the total first
    for row in registrations.values_list(*fields, *parts_of):
        organization, enterprise, registered_on, withdrawn_on, sector, region = row
        parts[enterprise] = (("", ""), ("sector", part_key(sector)), ("region", part_key(region)))
        # Active on a month end: registered on or before it, not withdrawn on or before it.
        low = max(month_number(first, registered_on), 0)
        high = months if withdrawn_on is None else min(month_number(first, withdrawn_on), months)
        if low < high:
            bits = (1 << high) - (1 << low)
            registered[organization, enterprise] |= bits
            registered[ALL, enterprise] |= bits

    # Registered: +1 where a run of month ends starts, -1 after it, then running sums.
    changes: dict[tuple, list[int]] = defaultdict(lambda: [0] * (months + 1))
    for (scope, enterprise), bits in registered.items():
        for low, high in bit_runs(bits):
            for breakdown, key in parts[enterprise]:
                change = changes[scope, breakdown, key]
                change[low] += 1
                change[high] -= 1
    for (scope, breakdown, key), change in changes.items():
        counts = list(accumulate(change))
        # An organization's parts: its years only.
        for period in years if breakdown and scope is not ALL else periods:
            if count := counts[end_of[period]]:
                grid.add(scope, period.key, breakdown, key, {"ees_registered": count})

    # Registered and won: the months each registered enterprise won in, then bit tests.
    holding = defaultdict(list)  # month: the periods holding it
    for period in periods:
        for month in range(month_number(first, period.start), end_of[period] + 1):
            holding[month].append(period)
    bit = f"{BIT} << ((yr - {first.year}) * 12 + mon - {first.month})"
    columns = [("ent", "ent"), ("bits", BIT_UNION.get(connection.vendor, BIT_UNION[""]) % bit)]
    enterprises = registrations.values("enterprise_id").query.sql_with_params()
    pairs = registrations.values("organization_id", "enterprise_id").query.sql_with_params()
    won = {
        (ALL, row["ent"]): row["bits"]
        for row in awards.rows(
            columns, group=1, where=f"ees = 1 AND ent IN ({enterprises[0]})", params=enterprises[1]
        )
    }
    pair_columns = [("org", "org"), *columns]
    where = f"ees = 1 AND (org, ent) IN ({pairs[0]})"
    for row in awards.rows(pair_columns, group=2, where=where, params=pairs[1]):
        won[row["org"], row["ent"]] = row["bits"]
    winners: dict[tuple, int] = defaultdict(int)
    for (scope, enterprise), won_months in won.items():
        registered_ends = registered.get((scope, enterprise), 0)
        won_periods = {
            period
            for low, high in bit_runs(int(won_months))
            for month in range(low, high)
            for period in holding[month]
            if registered_ends >> end_of[period] & 1
        }
        for period in won_periods:
            for breakdown, key in parts[enterprise]:
                if not breakdown or scope is ALL or period.kind == "year":
                    winners[scope, period.key, breakdown, key] += 1
    for (scope, period_key, breakdown, key), count in winners.items():
        grid.add(scope, period_key, breakdown, key, {"ees_registered_winning": count})


# The union of bits over a group's rows: BIT_OR on PostgreSQL; elsewhere the sum of the
# distinct powers of two (each bit is one).
BIT = "CAST(1 AS BIGINT)"
BIT_UNION = {"postgresql": "BIT_OR(%s)", "": "SUM(DISTINCT %s)"}


def month_number(first: dt.date, day: dt.date) -> int:
    """Months from the window's first month to `day`'s: the bit of that month."""
    return (day.year - first.year) * 12 + day.month - first.month


def bit_runs(bits: int):
    """(low, high) of each run of set bits, high excluded."""
    while bits:
        low = (bits & -bits).bit_length() - 1
        carried = bits + (1 << low)  # the run's bits clear, the bit above it sets
        high = (carried & -carried).bit_length() - 1
        yield low, high
        bits &= ~((1 << high) - (1 << low))


def add_contacts(grid: Grid, first: dt.date, last: dt.date) -> None:
    """Business contacts with EÉS and the new ones, by organization and month."""
    rows = (
        BusinessContact.objects.filter(enterprise__status=VERIFIED)
        .between(first, last)
        .with_is_new()
        .annotate(**by_month("date"))
        .values("organization_id", "_year", "_month")
        .annotate(
            business_contacts=Count("id"),
            business_contacts_new=Count("id", filter=Q(is_new=True)),
        )
        .order_by()
    )
    for row in rows:
        measures = {name: row[name] for name in ("business_contacts", "business_contacts_new")}
        for period in rolled_up(row["_year"], row["_month"]):
            for scope in (row["organization_id"], ALL):
                grid.add(scope, period, "", "", measures)


def add_activities(grid: Grid, first: dt.date, last: dt.date) -> None:
    """Matchmaking activities and people reached, by kind: an organization's scope counts
    the activities it attended; the all-organizations scope counts every activity."""
    present = (
        Activity.organizations.through.objects.filter(
            activity__date__gte=first, activity__date__lte=last
        )
        .annotate(**by_month("activity__date"))
        .values("organization_id", "_year", "_month", "activity__kind")
        .annotate(n=Count("activity_id"), people=Sum("activity__participants"))
        .order_by()
    )
    every = (
        Activity.objects.filter(date__gte=first, date__lte=last)
        .annotate(**by_month("date"))
        .values("_year", "_month", "kind")
        .annotate(n=Count("id"), people=Sum("participants"))
        .order_by()
    )
    rows = [(row["organization_id"], row["activity__kind"], row) for row in present]
    rows += [(ALL, row["kind"], row) for row in every]
    for scope, kind, row in rows:
        matchmaking = row["n"] if kind == Activity.Kind.MATCHMAKING else 0
        for period in rolled_up(row["_year"], row["_month"]):
            grid.add(
                scope,
                period,
                "",
                "",
                {"matchmaking_activities": matchmaking, "activity_participants": row["people"]},
            )
            grid.add(scope, period, KIND, kind, {"activity_participants": row["people"]})


def offer_as_of(periods: list[Period]) -> dict[str, dict[str, int]]:
    """The directory as of each period's end (the same for every scope): three queries."""
    ends = sorted({period.end for period in periods})
    cutoffs = [
        timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
        for end in ends
    ]
    published = Enterprise.objects.published()
    enterprises = published.aggregate(
        **{f"e{i}": Count("id", filter=Q(created_at__lt=cut)) for i, cut in enumerate(cutoffs)}
    )
    sectors = Enterprise.sectors.through.objects.filter(enterprise__in=published).aggregate(
        **{
            f"s{i}": Count("sector", distinct=True, filter=Q(enterprise__created_at__lt=cut))
            for i, cut in enumerate(cutoffs)
        }
    )
    offerings = Offering.objects.filter(enterprise__in=published).aggregate(
        **{
            f"o{i}": Count("id", filter=Q(enterprise__created_at__lt=cut))
            for i, cut in enumerate(cutoffs)
        }
    )
    offer = {}
    for period in periods:
        index = ends.index(period.end)
        offer[period.key] = {
            "ees_published": enterprises[f"e{index}"],
            "sectors_represented": sectors[f"s{index}"],
            "offerings": offerings[f"o{index}"],
        }
    return offer


def add_organization_counts(grid: Grid, active: dict[int, bool]) -> None:
    """An organization's own scope: 1 when it is active and has an EÉS award in the period
    (or the part)."""
    for (scope, period, breakdown, key), cell in list(grid.cells.items()):
        if scope is ALL or not cell.get("ees_contracts") or not active.get(scope):
            continue
        grid.add(scope, period, breakdown, key, {"organizations_with_ees_contract": 1})


# --- Rows -------------------------------------------------------------------------------
# Measurements are written as plain tuples in this column order: building a model instance
# per row costs more than the whole computation once there are millions of them.
COLUMNS = (
    "organization_id",
    "period",
    "start",
    "end",
    "code",
    "breakdown",
    "key",
    "value",
    "numerator",
    "denominator",
)
Row = tuple
# PostgreSQL types of ("snapshot_id", "label", *COLUMNS), for the binary COPY.
COPY_TYPES = ["int8", "text", "int8", "text", "date", "date", "text", "text", "text"]
COPY_TYPES += ["numeric"] * 3


def number_maker(code: str):
    """The stored (value, numerator, denominator) of one code from the measures of a cell and
    the number of active organizations in scope: report.numbers, with its per-code decisions
    (unit, share or not) taken once instead of once per row. Shares are stored rounded (the
    reader recomputes them from their numerator and denominator)."""
    if code in SHARES:
        numerator, denominator = SHARES[code]
        component = int if component_unit(code) == Unit.COUNT else dollars

        def share_numbers(cell: dict, active_count: int) -> tuple:
            top = component(cell.get(numerator, 0))
            bottom = component(
                active_count if denominator == "active" else cell.get(denominator, 0)
            )
            if not bottom:
                return None, top, bottom
            return (Decimal(top) / Decimal(bottom)).quantize(SHARE_DIGITS), top, bottom

        return share_numbers
    number = int if BY_CODE[code].unit == Unit.COUNT else dollars
    if code == "ees_spend_tender":
        return lambda cell, _active: (
            number(cell.get("ees_spend_open", 0) + cell.get("ees_spend_invitation", 0)),
            None,
            None,
        )
    return lambda cell, _active: (number(cell.get(code, 0)), None, None)


def dollars(cents: int) -> Decimal:
    """Money of the Grid (integer cents) as report.as_unit types it: a Decimal to the cent."""
    return Decimal(int(cents)).scaleb(-2)


def measurement_rows(
    grid: Grid, periods: list[Period], scopes: list, active: dict[int, bool], offer: dict
) -> Iterator[Row]:
    """Every total, and every breakdown part that is not empty (the reader lists the empty
    parts of fixed breakdowns itself), built as they are written (write_snapshot)."""
    active_total = sum(active.values())
    makers = {indicator.code: number_maker(indicator.code) for indicator in CATALOGUE}
    breakdowns = {
        code: [name for name in breakdowns_for(code) if name in STORED_BREAKDOWNS]
        for code in makers
    }
    organization_breakdowns = {
        code: [name for name in names if name not in LIVE_ORGANIZATION_BREAKDOWNS]
        for code, names in breakdowns.items()
    }
    kinds = list(Activity.Kind.values)
    for scope in scopes:
        active_count = active_total if scope is ALL else int(active.get(scope, False))
        for period in periods:
            every_part = scope is ALL or period.kind == "year"
            stored_breakdowns = breakdowns if every_part else organization_breakdowns
            where = (scope, period.key, period.start, period.end)
            totals = {**grid.get(scope, period.key), **offer[period.key]}
            cells = {}  # breakdown: [(key, cell)] of its parts
            for breakdown in STORED_BREAKDOWNS:
                if breakdown == "method":
                    keys = METHODS
                elif breakdown == KIND:
                    keys = kinds
                else:
                    keys = sorted(grid.keys.get((scope, period.key, breakdown), ()))
                cells[breakdown] = [
                    (key, grid.get(scope, period.key, breakdown, key)) for key in keys
                ]
            for code, make in makers.items():
                numbers_ = make(totals, active_count)
                # An organization's zero totals and the offer are read from elsewhere
                # (report.PRESENCE_CODE).
                if (
                    scope is ALL
                    or code == PRESENCE_CODE
                    or (code not in OFFER_CODES and (numbers_[0] or numbers_[1] or numbers_[2]))
                ):
                    yield (*where, code, "", "", *numbers_)
                for breakdown in stored_breakdowns[code]:
                    parts = cells[breakdown]
                    if code == "organizations_with_ees_contract_share" and breakdown in (
                        OPEN_BREAKDOWNS
                    ):
                        # Parts are those holding an EÉS award (the denominator never drops
                        # to zero).
                        parts = [(key, cell) for key, cell in parts if cell.get("ees_contracts")]
                    for key, cell in parts:
                        numbers_ = make(cell, active_count)
                        if numbers_[0] or numbers_[1] or numbers_[2]:
                            yield (*where, code, breakdown, key, *numbers_)


def compute_measurements(*, today: dt.date) -> Iterator[Row]:
    """Every measurement of a snapshot (unsaved): every scope, standard period and part. The
    database is read here; the rows are built from what was read as they are written."""
    periods = standard_periods(today)
    first, last = periods[0].start, periods[-1].end
    active = dict(Organization.objects.values_list("pk", "is_active"))
    grid = Grid()
    # The distinct counts read facts tables of their own: other connections compute them
    # meanwhile where they can (alongside).
    with alongside(DISTINCT_COUNTS, first, last) as distinct_counts:
        with Facts("indicators_award_facts", award_facts(first, last)) as awards:
            add_awards(grid, awards)
            add_registrations(grid, periods, awards)
        add_contacts(grid, first, last)
        add_activities(grid, first, last)
        for (scope, period), people in people_trained_by_period(periods).items():
            grid.add(scope, period, "", "", {"people_trained": people})
        offer = offer_as_of(periods)
        for counts in distinct_counts():
            grid.merge(counts)
    add_organization_counts(grid, active)
    scopes = [ALL, *sorted(active)]
    return measurement_rows(grid, periods, scopes, active, offer)


def count_invited(first: dt.date, last: dt.date) -> Grid:
    """EÉS invited to invitation processes: distinct counts, in a grid of their own."""
    grid = Grid()
    invitations = Invitation.objects.filter(
        process__method=Method.INVITATION,
        enterprise__status=VERIFIED,
        invited_on__gte=first,
        invited_on__lte=last,
    )
    invited = facts_of(
        invitations,
        organization="process__organization_id",
        date="invited_on",
        method=F("process__method"),
    )
    with Facts("indicators_invitation_facts", invited) as facts:
        add_distinct_enterprises(grid, "ees_invited", facts, method=Method.INVITATION)
    return grid


def count_bidding(first: dt.date, last: dt.date) -> Grid:
    """EÉS bidding: distinct counts, in a grid of their own."""
    grid = Grid()
    bids = Bid.objects.filter(
        enterprise__status=VERIFIED, submitted_on__gte=first, submitted_on__lte=last
    )
    bidding = facts_of(
        bids,
        organization="process__organization_id",
        date="submitted_on",
        method=F("process__method"),
    )
    with Facts("indicators_bid_facts", bidding) as facts:
        add_distinct_enterprises(grid, "ees_bidding", facts)
    return grid


def count_winning(first: dt.date, last: dt.date) -> Grid:
    """EÉS winning, and active organizations with an EÉS contract: distinct counts, in a
    grid of their own."""
    grid = Grid()
    # EÉS awards only, without the relationship flags of award_facts.
    ees_awards = Award.objects.active().between(first, last).filter(enterprise__status=VERIFIED)
    winning = facts_of(
        ees_awards,
        organization="organization_id",
        date="awarded_on",
        method=F("process__method"),
        org_active=one_if(Q(organization__is_active=True)),
    )
    with Facts("indicators_ees_award_facts", winning) as facts:
        add_distinct_enterprises(grid, "ees_winning", facts)
        # All organizations' scope and parts: active organizations with an EÉS award.
        add_distinct_enterprises(
            grid,
            "organizations_with_ees_contract",
            facts,
            where="org_active = 1",
            counted="org",
            scope_kinds=(False,),
        )
    return grid


# The distinct counts, largest first: each reads facts tables of its own (alongside).
DISTINCT_COUNTS = (count_bidding, count_invited, count_winning)


@contextlib.contextmanager
def alongside(functions, /, *args, workers: int = 2):
    """Run each function(*args) in a pool of threads, each with a database connection of its
    own, while the block runs; yields a callable that returns their results in order (or
    raises the first exception).

    PostgreSQL then works on every core, the block's connection included; the pool takes
    the next function when one ends, so the work spreads over the connections whatever the
    size of each. Only outside a transaction: another connection would not see the rows of
    an open one (tests run in one); and not on SQLite (one in-memory database per connection
    in tests). Otherwise the functions run here, first.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        results = [function(*args) for function in functions]
        yield lambda: results
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(with_own_connection, function, *args) for function in functions]
        yield lambda: [future.result() for future in futures]


def with_own_connection(function, /, *args):
    """function(*args) on this thread's connection, with the refresh's settings, closed after."""
    try:
        with work_mem(REFRESH_WORK_MEM):
            return function(*args)
    finally:
        connection.close()


# --- Writing ----------------------------------------------------------------------------
def insert_measurements(snapshot_id: int, rows: Iterable[Row], *, table: str = "") -> None:
    """One multi-row INSERT per batch (COPY on PostgreSQL), without model instances; into
    `table` when given (a snapshot's partition before it is attached)."""
    table = connection.ops.quote_name(table or Measurement._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(name) for name in ("snapshot_id", "label", *COLUMNS)
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Binary, with the column types given once: no text formatting per value.
            copy_sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
            with cursor.cursor.copy(copy_sql) as copy:
                copy.set_types(COPY_TYPES)
                for row in rows:
                    copy.write_row((snapshot_id, "", *row))
            return
        placeholders = ", ".join(["%s"] * (len(COLUMNS) + 2))
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608 - names from the model
            [(snapshot_id, "", *adapted(row)) for row in rows],
        )


def adapted(row: Row) -> Row:
    """Dates and decimals as SQLite's Django backend stores them (text)."""
    return tuple(str(item) if isinstance(item, dt.date | Decimal) else item for item in row)


# --- Partitions (PostgreSQL) -----------------------------------------------------------
# The measurement table is partitioned by snapshot on PostgreSQL (migration 0007). A refresh
# writes its rows into a table of its own, indexes it once they are all in (a sorted build:
# keeping the index up to date row by row took twice as long as the rows themselves) and
# attaches it as its snapshot's partition; pruning drops those tables instead of deleting
# millions of rows. Rows written by other means land in the default partition.
PARTITION_INDEX = "measurement_read_idx"  # built before attaching; the others by ATTACH
PARTITION_MAINTENANCE_MEM = "256MB"
DROP_LOCK_TIMEOUT = "2s"


def partitioned() -> bool:
    return connection.vendor == "postgresql"


def partition_name(snapshot_id: int) -> str:
    return f"{Measurement._meta.db_table}_s{int(snapshot_id)}"


def create_partition(snapshot_id: int) -> str:
    """A table shaped like the measurement table, for one snapshot's rows only (replacing
    the emptied table of a deleted snapshot that had the same id, after a database flush)."""
    table, parent = partition_name(snapshot_id), Measurement._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TABLE {table} (LIKE {parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS, "
            f"CHECK (snapshot_id = {int(snapshot_id)}))"  # ATTACH then need not scan it
        )
    return table


def attach_partition(snapshot_id: int) -> None:
    """Index the snapshot's table as the measurement table's read index wants, then make it
    that snapshot's partition (PostgreSQL adopts the index, and builds the others)."""
    table, parent = partition_name(snapshot_id), Measurement._meta.db_table
    index = next(index for index in Measurement._meta.indexes if index.name == PARTITION_INDEX)
    columns = ", ".join(
        connection.ops.quote_name(Measurement._meta.get_field(name).column) for name in index.fields
    )
    with connection.cursor() as cursor:
        # For this transaction only: the index is sorted in memory.
        cursor.execute(
            "SELECT set_config('maintenance_work_mem', %s, true)", [PARTITION_MAINTENANCE_MEM]
        )
        cursor.execute(f"CREATE INDEX {table}_read ON {table} ({columns})")
        cursor.execute(
            f"ALTER TABLE {parent} ATTACH PARTITION {table} FOR VALUES IN ({int(snapshot_id)})"
        )


def partitions() -> dict[int, str]:
    """{snapshot id: table} of the measurement table's snapshot partitions."""
    if not partitioned():
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [Measurement._meta.db_table],
        )
        names = [name for (name,) in cursor.fetchall()]
    prefix = partition_name(0)[:-1]
    return {
        int(name[len(prefix) :]): name
        for name in names
        if name.startswith(prefix) and name[len(prefix) :].isdigit()
    }


def drop_partitions(tables: dict[int, str]) -> set[int]:
    """Drop these partitions ({snapshot id: table}); returns the ids of those still there.

    Dropping a partition locks the whole measurement table, readers included, and waits for
    those holding it (a refresh writing its snapshot holds it until it commits): readers
    would queue behind. Each drop waits DROP_LOCK_TIMEOUT at most; a partition left is
    dropped by the next pruning."""
    left = set()
    for snapshot_id, table in tables.items():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('lock_timeout')")
                (previous,) = cursor.fetchone()
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [DROP_LOCK_TIMEOUT])
                cursor.execute(f"DROP TABLE {table}")
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
        except OperationalError:
            logger.warning("Measurements of snapshot #%s not dropped yet: busy", snapshot_id)
            left.add(snapshot_id)
    return left


@transaction.atomic
def write_snapshot(
    *, snapshot: Snapshot, rows: Iterable[Row], computed_at: dt.datetime
) -> Snapshot:
    """All the measurements and the switch to complete, in one transaction.

    Batches are consumed as they are written: when `rows` is a generator, PostgreSQL stores
    the rows of a COPY while the next ones are being built. On PostgreSQL they go into the
    snapshot's own table, attached as its partition once it is indexed; the cohorts' rows
    follow through the measurement table."""
    written = 0

    def counted(rows: Iterable[Row]) -> Iterator[Row]:
        nonlocal written
        for row in rows:
            written += 1
            yield row

    table = create_partition(snapshot.pk) if partitioned() else ""
    rows = counted(rows)
    for first in rows:
        insert_measurements(
            snapshot.pk, chain((first,), islice(rows, WRITE_BATCH - 1)), table=table
        )
    if table:
        attach_partition(snapshot.pk)
    snapshot.status = Snapshot.Status.COMPLETE
    snapshot.computed_at = computed_at
    snapshot.measurements_count = written + write_cohort_measurements(snapshot)
    snapshot.organization_parts = False  # years only (report.LIVE_ORGANIZATION_BREAKDOWNS)
    snapshot.save(
        update_fields=["status", "computed_at", "measurements_count", "organization_parts"]
    )
    return snapshot


def refresh_snapshot(
    *, trigger: str, today: dt.date | None = None, warm: bool = True, prune: bool = True
) -> Snapshot:
    """Compute and write a new snapshot; the previous one stays readable until it commits.

    The snapshot row is created first, in its own transaction, so that a running or failed
    refresh is visible to monitoring; the computation reads outside the write transaction
    (on SQLite a write transaction would lock out every other writer meanwhile). Once it
    commits, deleting the old snapshots and warming its dashboards are queued as tasks of
    their own (unless `prune` or `warm` is false): the refresh is over when its snapshot
    commits, and deleting a million rows is not part of it.
    """
    today = today or timezone.localdate()
    Snapshot.objects.filter(
        status=Snapshot.Status.RUNNING, started_at__lt=timezone.now() - STALE_AFTER
    ).update(status=Snapshot.Status.FAILED)
    snapshot = Snapshot.objects.create(trigger=trigger)
    started = time.monotonic()
    computed_at = timezone.now()  # the data is as of the start of the computation
    try:
        with work_mem(REFRESH_WORK_MEM):
            rows = compute_measurements(today=today)
        write_snapshot(snapshot=snapshot, rows=rows, computed_at=computed_at)
    except Exception:
        Snapshot.objects.filter(pk=snapshot.pk).update(
            status=Snapshot.Status.FAILED, duration_ms=elapsed_ms(started)
        )
        logger.exception("Indicator snapshot #%s failed", snapshot.pk)
        raise
    snapshot.duration_ms = elapsed_ms(started)
    Snapshot.objects.filter(pk=snapshot.pk).update(duration_ms=snapshot.duration_ms)
    logger.info(
        "Indicator snapshot #%s: %s measurements in %s ms (%s)",
        snapshot.pk,
        snapshot.measurements_count,
        snapshot.duration_ms,
        trigger,
    )
    if prune:
        transaction.on_commit(queue_pruning, robust=True)
    if warm:
        transaction.on_commit(partial(queue_warming, snapshot.pk), robust=True)
    return snapshot


def queue_pruning() -> None:
    """Have the worker delete the old snapshots (prune_snapshots); here if the broker is
    unreachable, so that they never pile up."""
    from indicators.tasks import prune_old_snapshots  # the tasks module imports this one

    try:
        prune_old_snapshots.delay()
    except Exception:  # the broker is down: this process does it
        logger.warning("Pruning queued in-process: the broker is unreachable", exc_info=True)
        prune_snapshots()


def queue_warming(snapshot_id: int) -> None:
    """Have the worker render the new snapshot's dashboards into the cache, as a task of
    its own: the refresh is over when its snapshot commits (indicators.warm)."""
    from indicators.tasks import warm_dashboards  # the tasks module imports this one

    warm_dashboards.delay(snapshot_id)


@contextlib.contextmanager
def work_mem(size: str):
    """PostgreSQL's memory per sort or hash for this session meanwhile: the distinct counts
    over a million facts then sort in memory instead of spilling to disk."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('work_mem')")
        (previous,) = cursor.fetchone()
        cursor.execute("SELECT set_config('work_mem', %s, false)", [size])
    try:
        yield
    finally:
        with contextlib.suppress(Exception), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('work_mem', %s, false)", [previous])


def elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def prune_snapshots(*, keep: int = KEEP_SNAPSHOTS) -> int:
    """Delete all but the `keep` latest complete snapshots (running ones are left alone).

    Their partitions are dropped, and so are those left by a snapshot deleted another way
    (by Django, which deletes the rows but leaves the empty table)."""
    kept = Snapshot.objects.complete().order_by("-computed_at", "-id")[:keep]
    old = Snapshot.objects.exclude(pk__in=list(kept.values_list("pk", flat=True))).exclude(
        status=Snapshot.Status.RUNNING
    )
    old_ids = set(old.values_list("pk", flat=True))
    existing = set(Snapshot.objects.values_list("pk", flat=True))
    left = drop_partitions(
        {pk: table for pk, table in partitions().items() if pk in old_ids or pk not in existing}
    )
    old = old.exclude(pk__in=left)  # until their partitions can be dropped
    # The rows left (in the default partition, or everywhere without partitions) in one
    # statement; then their snapshots.
    Measurement.objects.filter(snapshot__in=old).delete()
    deleted, _by_model = old.delete()
    return deleted


# --- Queuing ----------------------------------------------------------------------------
def queue_refresh(*, trigger: str = Snapshot.Trigger.CHANGE) -> None:
    """Ask for a refresh once the current transaction commits.

    A change waits INDICATORS_REFRESH_DEBOUNCE_SECONDS so that a burst of changes rides on
    one refresh; "manual" (the refresh-now button) runs at once. While a refresh of the same
    trigger is pending, further requests are dropped; the task clears the flag when it
    starts, so a change made during a refresh queues the next one.
    """
    if trigger == Snapshot.Trigger.CHANGE and not refresh_on_change():
        return
    callback = partial(send_refresh, trigger=trigger)
    # One callback per transaction, however many records it changes. (A callback of a
    # savepoint rolled back is dropped with it; changes made after it register again.)
    pending = transaction.get_connection().run_on_commit
    if any(
        getattr(queued, "keywords", None) == callback.keywords
        and getattr(queued, "func", None) is send_refresh
        for _ids, queued, _robust in pending
    ):
        return
    transaction.on_commit(callback)


def refresh_on_change() -> bool:
    """INDICATORS_REFRESH_ON_CHANGE; by default on, except when tasks run eagerly (no
    worker): a full refresh would then run inside every request, and every test, that
    changes a record. The schedule and the refresh button still refresh."""
    return getattr(settings, "INDICATORS_REFRESH_ON_CHANGE", not settings.CELERY_TASK_ALWAYS_EAGER)


def send_refresh(*, trigger: str) -> bool:
    """Queue the refresh task unless one is pending. Never raises: a broker or cache outage
    must not break the write that asked for it (the beat schedule catches up)."""
    from indicators.tasks import refresh_indicators

    debounce = settings.INDICATORS_REFRESH_DEBOUNCE_SECONDS
    key = PENDING_KEY.format(trigger=trigger)
    try:
        # The flag outlives the countdown a little, in case the task is lost.
        if not cache.add(key, True, timeout=debounce + 60):
            return False
        countdown = debounce if trigger == Snapshot.Trigger.CHANGE else 0
        # One connection attempt, no retries: a request that changed a record must not
        # wait for a broker that is down.
        with current_app.connection_for_write(transport_options={"max_retries": 0}) as broker:
            refresh_indicators.apply_async(
                kwargs={"trigger": trigger}, countdown=countdown, retry=False, connection=broker
            )
    except Exception:
        logger.warning("Could not queue an indicator refresh (%s)", trigger, exc_info=True)
        with contextlib.suppress(Exception):  # the cache is down too: the flag will expire
            cache.delete(key)
        return False
    return True


def clear_pending(*, trigger: str) -> None:
    """The refresh of this trigger has started: the next request queues a new one."""
    try:
        cache.delete(PENDING_KEY.format(trigger=trigger))
    except Exception:
        logger.warning("Could not clear the pending indicator refresh flag", exc_info=True)
