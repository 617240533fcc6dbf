"""The worked example of indicators.md, number for number, live and from a snapshot."""

import datetime as dt
from decimal import Decimal

import pytest

from indicators.kpis import compute_report
from indicators.report import read_snapshot
from indicators.services import refresh_snapshot
from tests.indicators.factories_engine import worked_example

pytestmark = pytest.mark.django_db

YEAR_2025 = {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 12, 31)}
EXPECTED = {
    "ees_spend": Decimal("40000.00"),
    "ees_spend_open": Decimal("0.00"),
    "ees_spend_invitation": Decimal("30000.00"),
    "ees_spend_direct": Decimal("10000.00"),
    "ees_spend_tender": Decimal("30000.00"),
    "total_spend": Decimal("140000.00"),
    "ees_registered": 1,
    "ees_invited": 1,
    "ees_bidding": 1,
    "ees_winning": 2,
    "ees_contracts": 2,
    "ees_contracts_new_relationship": 1,
    "ees_contracts_after_matchmaking": 1,
    "business_contacts": 1,
    "business_contacts_new": 1,
    "matchmaking_activities": 1,
    "activity_participants": 40,
    "ees_published": 2,
    "sectors_represented": 1,
    "offerings": 1,
}
SHARES = {
    "ees_spend_share": (Decimal("40000.00"), Decimal("140000.00")),
    "ees_registered_winning_share": (1, 1),
    "ees_contracts_new_relationship_share": (1, 2),
    "ees_contracts_after_matchmaking_share": (1, 2),
    "organizations_with_ees_contract_share": (1, 1),
    "business_contacts_new_share": (1, 1),
}


def assert_worked_example(report):
    for code, expected in EXPECTED.items():
        assert report[code].value == expected, code
    for code, (numerator, denominator) in SHARES.items():
        assert (report[code].numerator, report[code].denominator) == (numerator, denominator)
        assert report[code].value == Decimal(numerator) / Decimal(denominator), code
    assert round(report["ees_spend_share"].value, 4) == Decimal("0.2857")
    assert report["ees_registered_winning_share"].value == 1
    assert report["ees_contracts_new_relationship_share"].value == Decimal("0.5")


def test_the_worked_example_computed_live(organization):
    worked_example(organization)

    report = compute_report(organization_id=organization.pk, **YEAR_2025)

    assert report.source == "live"
    assert_worked_example(report)


def test_the_worked_example_read_from_a_snapshot(organization):
    worked_example(organization)
    refresh_snapshot(trigger="command", today=dt.date(2025, 12, 15))

    report = read_snapshot(organization_id=organization.pk, **YEAR_2025)

    assert report.source == "snapshot"
    assert_worked_example(report)


def test_the_worked_example_is_the_same_for_all_organizations_when_o_is_the_only_one(
    organization,
):
    worked_example(organization)

    assert_worked_example(compute_report(organization_id=None, **YEAR_2025))


def test_b_withdrawn_before_the_end_still_counted_in_a_period_ending_before_withdrawal(
    organization,
):
    worked_example(organization)

    report = compute_report(
        organization_id=organization.pk, start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30)
    )

    assert report["ees_registered"].value == 2
    share = report["ees_registered_winning_share"]
    assert (share.numerator, share.denominator) == (2, 2)
