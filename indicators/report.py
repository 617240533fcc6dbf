"""Reading indicator values: one shape for the API, the dashboards and the exports.

`get_report()` serves a standard period (a calendar year, quarter or month) from the latest
complete snapshot and computes any other period live; both give identical values.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from indicators.catalogue import BY_CODE, CATALOGUE, Unit
from indicators.models import Measurement, Snapshot


@dataclass
class Part:
    key: str
    label: str
    value: Decimal | int | None
    numerator: Decimal | int | None = None
    denominator: Decimal | int | None = None


@dataclass
class Value:
    code: str
    value: Decimal | int | None
    numerator: Decimal | int | None = None
    denominator: Decimal | int | None = None
    parts: list[Part] = field(default_factory=list)

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

    def __getitem__(self, code: str) -> Value:
        return self.values[code]

    def ordered(self) -> list[Value]:
        return [
            self.values[indicator.code] for indicator in CATALOGUE if indicator.code in self.values
        ]


def standard_period(start: dt.date, end: dt.date) -> str | None:
    """'2025', '2025-Q2' or '2025-03' when start..end is exactly one; None otherwise."""
    if start.day != 1 or end.year != start.year:
        return None
    last_day = calendar.monthrange(end.year, end.month)[1]
    if end.day != last_day:
        return None
    if start.month == 1 and end.month == 12:
        return f"{start.year}"
    if start.month == end.month:
        return f"{start.year}-{start.month:02d}"
    if start.month in (1, 4, 7, 10) and end.month == start.month + 2:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return None


def typed(code: str, number: Decimal | None):
    """Measurements store decimals; counts come back as int, money with 2 places."""
    if number is None:
        return None
    unit = BY_CODE[code].unit
    if unit == Unit.COUNT:
        return int(number)
    if unit == Unit.MONEY:
        return number.quantize(Decimal("0.01"))
    return number


def read_snapshot(
    *, organization_id: int | None, start: dt.date, end: dt.date, breakdown: str | None = None
) -> Report | None:
    """The values of the latest complete snapshot for this scope and period, or None."""
    snapshot = Snapshot.objects.latest_complete()
    if snapshot is None:
        return None
    breakdowns = [""] if not breakdown else ["", breakdown]
    rows = Measurement.objects.filter(
        snapshot=snapshot,
        organization_id=organization_id,
        start=start,
        end=end,
        breakdown__in=breakdowns,
    ).order_by("code", "breakdown", "key")
    values: dict[str, Value] = {}
    parts: dict[str, list[Part]] = {}
    for row in rows:
        if row.code not in BY_CODE:
            continue
        if row.breakdown:
            parts.setdefault(row.code, []).append(
                Part(
                    key=row.key,
                    label=row.label,
                    value=typed(row.code, row.value),
                    numerator=row.numerator,
                    denominator=row.denominator,
                )
            )
        else:
            values[row.code] = Value(
                code=row.code,
                value=typed(row.code, row.value),
                numerator=row.numerator,
                denominator=row.denominator,
            )
    if not values:
        return None
    for code, code_parts in parts.items():
        if code in values:
            values[code].parts = code_parts
    return Report(
        organization_id=organization_id,
        start=start,
        end=end,
        computed_at=snapshot.computed_at,
        source="snapshot",
        values=values,
        breakdown=breakdown,
    )


def get_report(
    *, organization_id: int | None, start: dt.date, end: dt.date, breakdown: str | None = None
) -> Report:
    """Snapshot for a standard period when one is stored; live computation otherwise."""
    if standard_period(start, end):
        report = read_snapshot(
            organization_id=organization_id, start=start, end=end, breakdown=breakdown
        )
        if report is not None:
            return report
    from indicators.kpis import compute_report

    return compute_report(
        organization_id=organization_id, start=start, end=end, breakdown=breakdown
    )
