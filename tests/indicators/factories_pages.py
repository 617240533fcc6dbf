"""Snapshots written the way the engine writes them, so page tests need no engine.

`write_snapshot()` creates a complete Snapshot and its Measurement rows (totals and breakdown
parts) for the given scopes and periods.
"""

import calendar
import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from indicators.catalogue import BREAKDOWN_FAMILIES, CATALOGUE, CODES
from indicators.models import Measurement, Snapshot
from indicators.report import standard_period

YEAR_2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
YEAR_2024 = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def share(numerator, denominator):
    value = Decimal(numerator) / Decimal(denominator) if denominator else None
    return (value, Decimal(numerator), Decimal(denominator))


# The worked example of indicators.md: organization O, year 2025.
WORKED_EXAMPLE = {
    "ees_spend": Decimal("40000"),
    "ees_spend_open": Decimal("0"),
    "ees_spend_invitation": Decimal("30000"),
    "ees_spend_direct": Decimal("10000"),
    "ees_spend_tender": Decimal("30000"),
    "total_spend": Decimal("140000"),
    "ees_spend_share": share(40000, 140000),
    "ees_registered": 1,
    "ees_invited": 1,
    "ees_bidding": 1,
    "ees_winning": 2,
    "ees_registered_winning_share": share(1, 1),
    "ees_contracts": 2,
    "ees_contracts_new_relationship": 1,
    "ees_contracts_new_relationship_share": share(1, 2),
    "ees_contracts_after_matchmaking": 1,
    "ees_contracts_after_matchmaking_share": share(1, 2),
    "organizations_with_ees_contract_share": share(1, 1),
    "business_contacts": 1,
    "business_contacts_new": 1,
    "business_contacts_new_share": share(1, 1),
    "matchmaking_activities": 1,
    "activity_participants": 40,
    "ees_published": 2,
    "sectors_represented": 1,
    "offerings": 3,
}

WORKED_PARTS = {
    "month": {
        "ees_spend": {"2025-03": ("2025-03", 30000), "2025-06": ("2025-06", 10000)},
        "ees_spend_invitation": {"2025-03": ("2025-03", 30000)},
        "ees_spend_direct": {"2025-06": ("2025-06", 10000)},
        "ees_contracts": {"2025-03": ("2025-03", 1), "2025-06": ("2025-06", 1)},
    },
    "sector": {
        "ees_spend": {
            "72": ("Hébergement et restauration", 30000),
            "56": ("Services admin.", 10000),
        },
        "ees_contracts": {"72": ("Hébergement et restauration", 1), "56": ("Services admin.", 1)},
        "ees_winning": {"72": ("Hébergement et restauration", 1), "56": ("Services admin.", 1)},
    },
    "region": {
        "ees_spend": {"16": ("Montérégie", 40000)},
        "ees_contracts": {"16": ("Montérégie", 2)},
        "ees_winning": {"16": ("Montérégie", 2)},
    },
    "method": {
        "ees_spend": {"invitation": ("Invitation", 30000), "direct": ("Gré à gré", 10000)},
        "ees_contracts": {"invitation": ("Invitation", 1), "direct": ("Gré à gré", 1)},
    },
    "kind": {"activity_participants": {"matchmaking": ("Maillage", 40)}},
}

# The same organization a year earlier: smaller figures, to compare against.
PREVIOUS_YEAR = {
    **dict.fromkeys(CODES, 0),
    "ees_spend": Decimal("10000"),
    "ees_spend_direct": Decimal("10000"),
    "total_spend": Decimal("100000"),
    "ees_spend_share": share(10000, 100000),
    "ees_contracts": 1,
    "ees_winning": 1,
    "ees_registered": 1,
    "ees_contracts_new_relationship_share": share(1, 1),
    "ees_contracts_after_matchmaking_share": share(0, 1),
    "organizations_with_ees_contract_share": share(1, 1),
    "business_contacts_new_share": share(0, 0),
    "ees_registered_winning_share": share(1, 1),
}


def _row(snapshot, organization_id, start, end, code, value, breakdown="", key=""):
    numerator = denominator = None
    if isinstance(value, tuple):
        value, numerator, denominator = value
    return Measurement(
        snapshot=snapshot,
        organization_id=organization_id,
        period=standard_period(start, end) or "custom",
        start=start,
        end=end,
        code=code,
        breakdown=breakdown,
        key=key,
        value=None if value is None else Decimal(value),
        numerator=numerator,
        denominator=denominator,
    )


def complete(values: dict) -> dict:
    """Every catalogue code, zero where not given: the reader wants whole snapshots."""
    zeroes = {i.code: share(0, 0) if i.is_share else 0 for i in CATALOGUE}
    return {**zeroes, **values}


def _month(key: str) -> tuple[dt.date, dt.date]:
    year, month = int(key[:4]), int(key[5:7])
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def write_snapshot(
    *,
    scopes=(None,),
    periods=(YEAR_2025,),
    values=None,
    parts=None,
    computed_at=None,
) -> Snapshot:
    """A complete snapshot holding `values` (code -> value or (value, num, den)) and `parts`
    ({breakdown: {code: {key: (label, value)}}}) for every scope (organization id or None)
    and period (start, end). Defaults: the worked example."""
    snapshot = Snapshot.objects.create(
        status=Snapshot.Status.COMPLETE,
        trigger=Snapshot.Trigger.COMMAND,
        computed_at=computed_at or timezone.now(),
    )
    add_measurements(snapshot, scopes=scopes, periods=periods, values=values, parts=parts)
    return snapshot


def add_measurements(snapshot, *, scopes=(None,), periods=(YEAR_2025,), values=None, parts=None):
    """Rows the way the engine stores them: totals per scope and period; method, sector and
    region parts as breakdown rows; month parts as the totals of each month period (the
    organization breakdown is read from each organization's own scope)."""
    values = complete(WORKED_EXAMPLE if values is None else values)
    parts = WORKED_PARTS if parts is None else parts
    rows = []
    for organization_id in scopes:
        for start, end in periods:
            for code, value in values.items():
                rows.append(_row(snapshot, organization_id, start, end, code, value))
            for breakdown, by_code in parts.items():
                for code, by_key in by_code.items():
                    for key, (_label, value) in by_key.items():
                        if breakdown == "month":
                            first, last = _month(key)
                            if start <= first and last <= end:
                                rows.append(
                                    _row(snapshot, organization_id, first, last, code, value)
                                )
                        elif breakdown != "organization":
                            rows.append(
                                _row(
                                    snapshot,
                                    organization_id,
                                    start,
                                    end,
                                    code,
                                    value,
                                    breakdown,
                                    key,
                                )
                            )
    Measurement.objects.bulk_create(rows, batch_size=2000)
    snapshot.measurements_count += len(rows)
    snapshot.save(update_fields=["measurements_count"])


def large_parts(year: int = 2025, sectors: int = 20, organization_ids=()) -> dict:
    """Breakdown parts for every breakable indicator: 12 months, many sectors, 17 regions."""
    codes = [i.code for i in CATALOGUE if i.family in BREAKDOWN_FAMILIES and not i.is_share]
    parts: dict = {"month": {}, "sector": {}, "region": {}, "method": {}}
    for code in codes:
        parts["month"][code] = {
            f"{year}-{m:02d}": (f"{year}-{m:02d}", 1000 * m) for m in range(1, 13)
        }
        parts["sector"][code] = {
            f"{10 + s}": (f"Secteur {10 + s}", 500 * (s + 1)) for s in range(sectors)
        }
        parts["region"][code] = {f"{r:02d}": (f"Région {r:02d}", 700 * r) for r in range(1, 18)}
        parts["method"][code] = {
            "open": ("Public", 1),
            "invitation": ("Invitation", 2),
            "direct": ("Gré à gré", 3),
        }
        if organization_ids:
            parts.setdefault("organization", {})[code] = {
                str(pk): (f"Organisation {pk}", 10) for pk in organization_ids
            }
    return parts


@pytest.fixture
def fresh_cache():
    """Pages cache rendered figures per snapshot: each test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()
