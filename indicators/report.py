"""Reading indicator values: one shape for the API, the dashboards and the exports.

`get_report()` serves a standard period (a calendar year, quarter or month) from the latest
complete snapshot and computes any other period live (indicators.kpis); both give identical
values. This module also holds what both paths share: the scope, the standard periods, the
breakdown rules and how numbers are typed, so that a snapshot and a live report cannot drift.

Breakdowns (indicators.md, "Breakdowns"), decided here once:
- a part is the indicator computed on the records of that part only: awards of that method,
  of enterprises whose *primary* sector (or region) is that one, of that organization, dated
  in that month (the first and last month are clipped to the period). Denominators that are
  not records of the part stay whole: `organizations_with_ees_contract_share` by method is
  "active organizations with an EÉS award of that method / active organizations in scope".
- registrations have no procurement method, so `ees_registered` and
  `ees_registered_winning_share` have no method breakdown; their month parts are "as of the
  end of that month".
- in one organization's scope the organization breakdown has one part: that organization.
- `activity_participants` is also broken down by activity `kind`; `people_trained` only by
  organization.
- method, month and kind list every part; sector, region and organization list the parts
  that hold data (a part whose value, numerator and denominator are all zero is left out).
"""

import calendar
import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, reduce
from operator import or_

from django.db.models import Q
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators.catalogue import BREAKDOWN_FAMILIES, BREAKDOWNS, BY_CODE, CATALOGUE, Family, Unit
from indicators.models import Measurement, Snapshot

KIND = "kind"  # activity participants by activity type
ALL_BREAKDOWNS = (*BREAKDOWNS, KIND)
# Parts of these breakdowns are a fixed list; the others list only parts that hold data.
FIXED_BREAKDOWNS = ("method", "month", KIND)
# Stored as their own measurement rows; month and organization parts are read from the
# month periods and from the organizations' own scopes of the same snapshot.
STORED_BREAKDOWNS = ("method", "sector", "region", KIND)
# ...but for one organization these are stored for calendar years only (the dashboards'
# default period), unless Snapshot.organization_parts (older snapshots stored every period):
# an organization × month × sector cell holds one or two awards, so storing every quarter's
# and month's parts took more rows than there are awards. Those are computed live from the
# organization's own records.
LIVE_ORGANIZATION_BREAKDOWNS = ("method", "sector", "region")


def organization_parts_live(scope, breakdown, start, end, snapshot) -> bool:
    """Whether this breakdown of one organization's period is not in the snapshot."""
    key = standard_period(start, end) or ""
    return (
        not scope.is_all
        and breakdown in LIVE_ORGANIZATION_BREAKDOWNS
        and not snapshot.organization_parts
        and len(key) != 4  # a calendar year
    )


# An organization's totals that are zero are not stored (nor are its parts), except this
# one, stored for every organization and period: it says that the organization is in the
# snapshot. The directory's offer is the same for every scope: stored once, for all
# organizations. The reader completes an organization's totals from both.
PRESENCE_CODE = "organizations_with_ees_contract_share"
OFFER_CODES = tuple(indicator.code for indicator in CATALOGUE if indicator.family == Family.OFFER)

REGISTRATION_CODES = ("ees_registered", "ees_registered_winning_share")
DISTINCT_ENTERPRISE_CODES = ("ees_registered", "ees_invited", "ees_bidding", "ees_winning")
SHARE_DIGITS = Decimal("0.000001")
CENTS = Decimal("0.01")


# --- Scope ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    """Whose records an indicator counts: some organizations, or all of them (None), and for
    a cohort also some enterprises.

    Computations never test organization or enterprise ids themselves; they ask the scope to
    filter a queryset. `enterprise_ids` None means any enterprise; a cohort's scope
    (`Scope.for_cohort`) holds its organizations, its EÉS and its id (indicators.cohorts says
    how each indicator reads a cohort).
    """

    organization_ids: frozenset[int] | None = None
    enterprise_ids: frozenset[int] | None = None
    cohort_id: int | None = None

    @classmethod
    def everyone(cls) -> "Scope":
        return cls()

    @classmethod
    def of(cls, organization_id: int | None) -> "Scope":
        return cls() if organization_id is None else cls(frozenset({organization_id}))

    @classmethod
    def for_cohort(cls, cohort) -> "Scope":
        """The cohort's organizations and EÉS (its dates are the caller's period)."""
        return cls(
            organization_ids=frozenset(cohort.organization_ids()),
            enterprise_ids=frozenset(cohort.enterprise_ids()),
            cohort_id=cohort.pk,
        )

    @property
    def is_all(self) -> bool:
        return self.organization_ids is None

    @property
    def is_cohort(self) -> bool:
        return self.cohort_id is not None

    @property
    def organization_id(self) -> int | None:
        """The organization of a one-organization scope; None for all organizations."""
        if self.is_cohort or self.organization_ids is None or len(self.organization_ids) != 1:
            return None
        return next(iter(self.organization_ids))

    def filter(self, queryset, lookup: str = "organization"):
        """Records of the scope: `lookup` leads from the queryset's model to an organization."""
        if self.is_all:
            return queryset
        return queryset.filter(**{f"{lookup}__in": sorted(self.organization_ids)})

    def filter_enterprises(self, queryset, lookup: str = "enterprise"):
        """Records of the scope's enterprises: `lookup` leads to an enterprise."""
        if self.enterprise_ids is None:
            return queryset
        return queryset.filter(**{f"{lookup}__in": sorted(self.enterprise_ids)})


# --- Periods ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    key: str  # '2025', '2025-Q1', '2025-03'
    start: dt.date
    end: dt.date
    kind: str  # year, quarter, month


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def quarter_key(year: int, quarter: int) -> str:
    return f"{year:04d}-Q{quarter}"


def standard_periods(today: dt.date) -> list[Period]:
    """Each year, quarter and month of the current and previous two years."""
    periods = []
    for year in range(today.year - 2, today.year + 1):
        periods.append(Period(f"{year:04d}", dt.date(year, 1, 1), dt.date(year, 12, 31), "year"))
        for quarter in range(1, 5):
            first = 3 * quarter - 2
            periods.append(
                Period(
                    quarter_key(year, quarter),
                    dt.date(year, first, 1),
                    month_end(year, first + 2),
                    "quarter",
                )
            )
        for month in range(1, 13):
            periods.append(
                Period(
                    month_key(year, month), dt.date(year, month, 1), month_end(year, month), "month"
                )
            )
    return periods


def standard_period(start: dt.date, end: dt.date) -> str | None:
    """'2025', '2025-Q2' or '2025-03' when start..end is exactly one; None otherwise."""
    if start.day != 1 or end.year != start.year or end < start:
        return None
    if end.day != calendar.monthrange(end.year, end.month)[1]:
        return None
    if start.month == 1 and end.month == 12:
        return f"{start.year}"
    if start.month == end.month:
        return month_key(start.year, start.month)
    if start.month in (1, 4, 7, 10) and end.month == start.month + 2:
        return quarter_key(start.year, (start.month - 1) // 3 + 1)
    return None


def months_between(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """(key, first day, last day) of each month of start..end, clipped to the period."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        first = max(start, dt.date(year, month, 1))
        last = min(end, month_end(year, month))
        months.append((month_key(year, month), first, last))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# --- Numbers ----------------------------------------------------------------------------
@cache  # a property of the catalogue, asked for every number read
def component_unit(code: str) -> str | None:
    """Unit of a share's numerator and denominator (money for the spend share)."""
    indicator = BY_CODE[code]
    if not indicator.is_share:
        return None
    if indicator.denominator and BY_CODE[indicator.denominator].unit == Unit.MONEY:
        return Unit.MONEY
    return Unit.COUNT


def as_unit(unit: str | None, number):
    """Counts as int, money as Decimal to the cent; None stays None."""
    if number is None or unit is None:
        return None
    if unit == Unit.COUNT:
        return int(number)
    if unit == Unit.MONEY:
        return Decimal(number).quantize(CENTS)
    return number


def share(numerator, denominator) -> Decimal | None:
    """numerator / denominator, or None (not 0) when the denominator is 0."""
    if not denominator:
        return None
    return Decimal(numerator or 0) / Decimal(denominator)


def typed(code: str, number: Decimal | None):
    """Measurements store decimals; counts come back as int, money with 2 places."""
    unit = BY_CODE[code].unit
    if unit == Unit.SHARE:
        return number
    return as_unit(unit, number)


def numbers(code: str, value=None, numerator=None, denominator=None) -> tuple:
    """(value, numerator, denominator) typed for the code.

    A share's value is always recomputed from its exact numerator and denominator, so a
    snapshot (which stores the share rounded) and a live computation agree to the last digit.
    """
    if BY_CODE[code].is_share:
        unit = component_unit(code)
        numerator = as_unit(unit, numerator or 0)
        denominator = as_unit(unit, denominator or 0)
        return share(numerator, denominator), numerator, denominator
    return typed(code, value if value is not None else 0), None, None


# --- Report -----------------------------------------------------------------------------
@dataclass
class Part:
    key: str
    label: str
    value: Decimal | int | None
    numerator: Decimal | int | None = None
    denominator: Decimal | int | None = None

    @property
    def is_empty(self) -> bool:
        return not self.value and not self.numerator and not self.denominator


@dataclass
class Value:
    code: str
    value: Decimal | int | None
    numerator: Decimal | int | None = None
    denominator: Decimal | int | None = None
    parts: list[Part] = field(default_factory=list)
    # Whether the parts of the requested breakdown add up to the value; None when the
    # breakdown does not apply to this indicator (or none was asked for).
    parts_add_up: bool | None = None

    @property
    def indicator(self):
        return BY_CODE[self.code]

    @property
    def label(self) -> str:
        return self.indicator.label

    @property
    def unit(self) -> str:
        return self.indicator.unit


@dataclass
class Report:
    organization_id: int | None
    start: dt.date
    end: dt.date
    computed_at: dt.datetime | None
    source: str  # "snapshot" or "live"
    values: dict[str, Value]
    breakdown: str | None = None
    scope: Scope | None = None

    def __getitem__(self, code: str) -> Value:
        return self.values[code]

    def ordered(self) -> list[Value]:
        return [
            self.values[indicator.code] for indicator in CATALOGUE if indicator.code in self.values
        ]


def make_value(code: str, value=None, numerator=None, denominator=None) -> Value:
    value, numerator, denominator = numbers(code, value, numerator, denominator)
    return Value(code=code, value=value, numerator=numerator, denominator=denominator)


def make_part(code: str, key, value=None, numerator=None, denominator=None) -> Part:
    # Key, label, value, numerator, denominator (positional: a breakdown of all
    # organizations by sector makes about 1 500 parts).
    return Part("" if key is None else str(key), "", *numbers(code, value, numerator, denominator))


# --- Breakdown rules --------------------------------------------------------------------
def breakdowns_for(code: str) -> tuple[str, ...]:
    """The breakdowns that apply to an indicator."""
    indicator = BY_CODE[code]
    if code == "activity_participants":
        return (KIND,)
    if code == "people_trained":
        return ("organization",)
    if indicator.family not in BREAKDOWN_FAMILIES:
        return ()
    if code in REGISTRATION_CODES:
        return tuple(name for name in BREAKDOWNS if name != "method")
    return BREAKDOWNS


def parts_add_up(code: str, breakdown: str | None) -> bool | None:
    """Sums and counts of awards add up; distinct EÉS only by sector and region, where each
    enterprise has one primary sector and one region; shares never."""
    if not breakdown or breakdown not in breakdowns_for(code):
        return None
    indicator = BY_CODE[code]
    if indicator.is_share:
        return False
    if code in DISTINCT_ENTERPRISE_CODES:
        return breakdown in ("sector", "region")
    # One person may complete modules for two organizations.
    return code != "people_trained"


def part_labels(breakdown: str, keys: list[str]) -> dict[str, str]:
    """Labels of parts in the active language (one query at most)."""
    from portal.accounts.models import Organization
    from portal.reference.models import Region, Sector
    from procurement.models import Activity, Method

    unknown = str(_("Not specified"))
    if breakdown == "method":
        return {key: str(Method(key).label) if key in Method.values else key for key in keys}
    if breakdown == KIND:
        kinds = Activity.Kind
        return {key: str(kinds(key).label) if key in kinds.values else key for key in keys}
    if breakdown == "month":
        return {
            key: formats.date_format(dt.date(int(key[:4]), int(key[5:7]), 1), "YEAR_MONTH_FORMAT")
            for key in keys
        }
    known = [key for key in keys if key]
    # Sectors (about 120 with their subsectors) and regions (17) are read whole: cheaper
    # than sending the database the hundred keys of an all-organizations breakdown.
    if breakdown == "sector":
        english = (get_language() or "fr")[:2] == "en"
        names = {
            code: (name_en if english and name_en else name_fr)
            for code, name_fr, name_en in Sector.objects.order_by().values_list(
                "code", "name_fr", "name_en"
            )
        }
    elif breakdown == "region":
        names = dict(Region.objects.order_by().values_list("code", "name"))
    elif breakdown == "organization":
        ids = [int(key) for key in known if key.isdigit()]
        names = {
            str(pk): name
            for pk, name in Organization.objects.filter(pk__in=ids).values_list("pk", "name")
        }
    else:
        names = {}
    return {key: names.get(key, unknown) if key else unknown for key in keys}


def _part_order(breakdown: str):
    from procurement.models import Activity, Method

    if breakdown == "method":
        return lambda part: (list(Method.values).index(part.key), part.key)
    if breakdown == KIND:
        return lambda part: (list(Activity.Kind.values).index(part.key), part.key)
    if breakdown == "organization":
        return lambda part: (part.label.casefold(), part.key)
    # Codes and months sort by key; "not specified" goes last.
    return lambda part: (part.key == "", part.key)


def fixed_keys(breakdown: str, start: dt.date, end: dt.date) -> list[str]:
    """Every part of a breakdown whose parts are a fixed list."""
    from procurement.models import Activity, Method

    if breakdown == "method":
        return list(Method.values)
    if breakdown == KIND:
        return list(Activity.Kind.values)
    if breakdown == "month":
        return [key for key, _first, _last in months_between(start, end)]
    return []


def finish(
    values: dict[str, Value],
    breakdown: str | None,
    start: dt.date,
    end: dt.date,
    codes: Collection[str] | None = None,
) -> None:
    """Complete, prune, label and sort every value's parts, the same way for snapshots and
    live: a fixed breakdown lists every part (a missing one is empty: snapshots do not
    store empty parts), the others only parts holding data. With `codes`, the other
    indicators get no parts, as if the breakdown did not apply to them."""
    for value in values.values():
        if (
            not breakdown
            or breakdown not in breakdowns_for(value.code)
            or (codes is not None and value.code not in codes)
        ):
            value.parts = []
            value.parts_add_up = None
            continue
        value.parts_add_up = parts_add_up(value.code, breakdown)
        if breakdown in FIXED_BREAKDOWNS:
            present = {part.key for part in value.parts}
            value.parts += [
                make_part(value.code, key)
                for key in fixed_keys(breakdown, start, end)
                if key not in present
            ]
        else:
            value.parts = [part for part in value.parts if not part.is_empty]
    if not breakdown:
        return
    keys = sorted({part.key for value in values.values() for part in value.parts})
    labels = part_labels(breakdown, keys) if keys else {}
    order = _part_order(breakdown)
    for value in values.values():
        for part in value.parts:
            part.label = labels.get(part.key, part.key)
        value.parts.sort(key=order)


# --- Reading ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """One report to read: a period of the scope, broken down (or not), with the parts of
    `codes` only when given (every total is read)."""

    start: dt.date
    end: dt.date
    breakdown: str | None = None
    codes: Collection[str] | None = None


def read_snapshot(
    *,
    organization_id: int | None = None,
    start: dt.date,
    end: dt.date,
    breakdown: str | None = None,
    scope: Scope | None = None,
    snapshot: Snapshot | None = None,
    codes: Collection[str] | None = None,
) -> Report | None:
    """The values of the latest complete snapshot (or of `snapshot`) for this scope and
    period, or None. With `codes`, only these indicators' parts are read (every total is).

    A constant number of queries whatever the data volume: the snapshot (unless given), its
    rows and the part labels.
    """
    scope = scope or Scope.of(organization_id)
    if scope.is_cohort:
        return read_cohort_snapshot(scope=scope, start=start, end=end, breakdown=breakdown)
    reading = Reading(start, end, breakdown, codes)
    return read_snapshots(scope, [reading], snapshot=snapshot)[0]


def read_snapshots(
    scope: Scope, readings: list[Reading], *, snapshot: Snapshot | None = None
) -> list[Report | None]:
    """read_snapshot for several readings of one scope (not a cohort), in one query for all
    of them: a dashboard shows a period by month, sector and region, and the previous one.
    Each report is None where read_snapshot's would be."""
    if not readings:
        return []
    if not scope.is_all and scope.organization_id is None:
        return [None] * len(readings)  # snapshots hold one organization, all of them, or a cohort
    if snapshot is None:
        snapshot = Snapshot.objects.latest_complete()
    if snapshot is None:
        return [None] * len(readings)
    stored = [
        not organization_parts_live(scope, reading.breakdown, reading.start, reading.end, snapshot)
        for reading in readings
    ]
    wanted = [reading for reading, ok in zip(readings, stored, strict=True) if ok]
    if not wanted:
        return [None] * len(readings)
    # Plain tuples, not model instances: a sector breakdown is a thousand rows. In no order:
    # a code has one row per part, and finish() sorts the parts (sorting them in the
    # database took longer than reading them).
    rows = Measurement.objects.filter(snapshot=snapshot, cohort=None).filter(
        _rows_of(scope, wanted)
    )
    fetched = list(
        rows.values_list(
            "start", "end", "period", "organization_id", "code", "breakdown", "key",
            "value", "numerator", "denominator",
        )
    )  # fmt: skip
    return [
        _report_of(scope, reading, snapshot, fetched) if ok else None
        for reading, ok in zip(readings, stored, strict=True)
    ]


def _rows_of(scope: Scope, readings: list[Reading]) -> Q:
    """The rows the readings are made of, one condition per period (a cohort's rows have no
    organization either: they never count as all organizations)."""
    scoped = Q(organization_id=scope.organization_id)
    totals = Q(breakdown="") & (scoped if scope.is_all else scoped | Q(organization=None))
    by_period: dict[tuple, list[Reading]] = {}
    for reading in readings:
        by_period.setdefault((reading.start, reading.end), []).append(reading)
    conditions = []
    for (start, end), period_readings in by_period.items():
        period = totals  # the scope's totals, and all organizations' (the offer, the codes held)
        for reading in period_readings:
            breakdown, codes = reading.breakdown, reading.codes
            of_codes = Q(code__in=codes) if codes is not None else Q()
            if breakdown in STORED_BREAKDOWNS:  # the scope's parts
                period |= scoped & Q(breakdown=breakdown) & of_codes
            elif breakdown == "organization" and scope.is_all:  # every organization's totals
                period |= Q(organization__isnull=False, breakdown="") & of_codes
            elif breakdown == "month":  # the scope's totals of each month
                months = [key for key, _first, _last in months_between(start, end)]
                conditions.append(scoped & Q(period__in=months, breakdown="") & of_codes)
        conditions.append(Q(start=start, end=end) & period)
    return reduce(or_, conditions)


def _report_of(scope: Scope, reading: Reading, snapshot: Snapshot, fetched) -> Report | None:
    """A reading's report from the rows fetched for it (and for others)."""
    start, end, breakdown, codes = reading.start, reading.end, reading.breakdown, reading.codes
    months = (
        {key for key, _first, _last in months_between(start, end)}
        if breakdown == "month"
        else set()
    )
    own = scope.organization_id
    values: dict[str, Value] = {}
    everyone: dict[str, Value] = {}
    parts: dict[str, list[Part]] = {}
    derived = []  # (code, key, value, numerator, denominator) of month or organization parts
    shown = None if codes is None else set(codes)
    by_organization = breakdown == "organization"
    for (
        row_start, row_end, period, owner, code, row_breakdown, key, value, numerator, denominator
    ) in fetched:  # fmt: skip
        if row_start != start or row_end != end:  # another reading's, or a month's total
            month = months and period in months and owner == own and not row_breakdown
            if month and code in BY_CODE and (shown is None or code in shown):
                derived.append((code, period, value, numerator, denominator))
            continue
        if code not in BY_CODE:
            continue
        if row_breakdown:  # a part (most rows)
            if row_breakdown == breakdown and owner == own and (shown is None or code in shown):
                parts.setdefault(code, []).append(
                    make_part(code, key, value, numerator, denominator)
                )
            continue
        if owner == own:
            values[code] = make_value(code, value, numerator, denominator)
        elif owner is None:
            everyone[code] = make_value(code, value, numerator, denominator)
        # A month's total when the period is that month; an organization's part is its own
        # total (in its scope, its only part).
        month = months and period in months and owner == own
        if (month or (by_organization and owner is not None)) and (shown is None or code in shown):
            derived.append((code, period if months else owner, value, numerator, denominator))
    if not scope.is_all and len(values) != len(CATALOGUE):  # see PRESENCE_CODE
        if PRESENCE_CODE not in values or len(everyone) != len(CATALOGUE):
            return None  # not in this snapshot (or an older catalogue): compute it live
        for code in everyone.keys() - values.keys():
            values[code] = everyone[code] if code in OFFER_CODES else make_value(code)
    if len(values) != len(CATALOGUE):
        return None  # not in this snapshot (or an older catalogue): compute it live
    for code, key, value, numerator, denominator in derived:
        if code in values and breakdown in breakdowns_for(code):
            parts.setdefault(code, []).append(make_part(code, key, value, numerator, denominator))
    for code, code_parts in parts.items():
        values[code].parts = code_parts
    finish(values, breakdown, start, end, codes)
    return Report(
        organization_id=own,
        start=start,
        end=end,
        computed_at=snapshot.computed_at,
        source="snapshot",
        values=values,
        breakdown=breakdown,
        scope=scope,
    )


def read_cohort_snapshot(
    *, scope: Scope, start: dt.date, end: dt.date, breakdown: str | None = None
) -> Report | None:
    """A cohort's values as stored by indicators.cohorts (its own dates, every breakdown as
    rows of its own), or None when this snapshot has none for the cohort and period."""
    snapshot = Snapshot.objects.latest_complete()
    if snapshot is None:
        return None
    kinds = [""] + ([breakdown] if breakdown else [])
    rows = Measurement.objects.filter(
        snapshot=snapshot, cohort_id=scope.cohort_id, start=start, end=end, breakdown__in=kinds
    )
    values: dict[str, Value] = {}
    parts: dict[str, list[Part]] = {}
    for row in rows.order_by("code", "breakdown", "key"):
        if row.code not in BY_CODE:
            continue
        if row.breakdown:
            parts.setdefault(row.code, []).append(
                make_part(row.code, row.key, row.value, row.numerator, row.denominator)
            )
        else:
            values[row.code] = make_value(row.code, row.value, row.numerator, row.denominator)
    if len(values) != len(CATALOGUE):
        return None
    for code, code_parts in parts.items():
        values[code].parts = code_parts
    finish(values, breakdown, start, end)
    return Report(
        organization_id=None,
        start=start,
        end=end,
        computed_at=snapshot.computed_at,
        source="snapshot",
        values=values,
        breakdown=breakdown,
        scope=scope,
    )


def get_report(
    *,
    organization_id: int | None = None,
    start: dt.date,
    end: dt.date,
    breakdown: str | None = None,
    scope: Scope | None = None,
    snapshot: Snapshot | None = None,
    codes: Collection[str] | None = None,
) -> Report:
    """Snapshot for a standard period (or a cohort's own dates) when one is stored; live
    computation otherwise. `snapshot` and `codes` as for read_snapshot (a live report may
    hold every indicator's parts)."""
    scope = scope or Scope.of(organization_id)
    return get_reports(scope, [Reading(start, end, breakdown, codes)], snapshot=snapshot)[0]


def get_reports(
    scope: Scope, readings: list[Reading], *, snapshot: Snapshot | None = None
) -> list[Report]:
    """get_report for several readings of one scope: those of standard periods (any of a
    cohort's) are read from the snapshot, together (read_snapshots); the others, and those
    the snapshot does not hold, are computed live."""
    from indicators.kpis import compute_report

    if scope.is_cohort:
        reports = [
            read_cohort_snapshot(scope=scope, start=r.start, end=r.end, breakdown=r.breakdown)
            for r in readings
        ]
    else:
        standard = [standard_period(reading.start, reading.end) for reading in readings]
        stored = [
            reading for reading, is_standard in zip(readings, standard, strict=True) if is_standard
        ]
        read = iter(read_snapshots(scope, stored, snapshot=snapshot))
        reports = [next(read) if is_standard else None for is_standard in standard]
    return [
        report
        or compute_report(
            start=reading.start, end=reading.end, breakdown=reading.breakdown, scope=scope
        )
        for reading, report in zip(readings, reports, strict=True)
    ]
