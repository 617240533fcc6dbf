"""The refresh counts registrations as of each month end from bits of months: the edge cases of
registering, withdrawing and winning agree with the one-function-per-code definitions."""

import datetime as dt

import pytest

from indicators.kpis import compute_report
from indicators.report import Scope, read_snapshot, standard_periods
from indicators.services import bit_runs, month_number, refresh_snapshot
from portal.reference.models import Region, Sector
from tests.factories import (
    EnterpriseFactory,
    OrganizationFactory,
    SectorFactory,
    SupplierRegistrationFactory,
)
from tests.indicators.factories_engine import award

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 3, 15)
CODES = ("ees_registered", "ees_registered_winning_share", "ees_winning")


def numbers(report):
    return {
        code: (
            report[code].value,
            report[code].numerator,
            report[code].denominator,
            [(p.key, p.value, p.numerator, p.denominator) for p in report[code].parts],
        )
        for code in CODES
    }


def assert_same(scope, period, breakdown=None):
    dates = {"start": period.start, "end": period.end, "breakdown": breakdown}
    snapshot = read_snapshot(scope=scope, **dates)
    assert snapshot is not None
    assert numbers(snapshot) == numbers(compute_report(scope=scope, **dates)), period.key


def test_it_counts_registrations_and_registered_winners_as_live_on_every_month_end():
    first, second = OrganizationFactory(), OrganizationFactory()
    food = SectorFactory(code="72")
    region = Region.objects.get_or_create(code="06", defaults={"name": "Montréal"})[0]

    def ees():
        return EnterpriseFactory(primary_sector=food, region=region)

    early, overlapping, same_month, on_month_end, elsewhere, gone = (ees() for _ in range(6))
    for enterprise, organization, registered, withdrawn in (
        (early, first, D(2019, 6, 1), None),  # before the window: registered all along
        (overlapping, first, D(2024, 2, 10), D(2025, 5, 20)),  # and again before withdrawn
        (overlapping, first, D(2025, 3, 1), None),
        (overlapping, second, D(2024, 7, 31), D(2024, 8, 31)),  # two organizations
        (same_month, first, D(2025, 3, 5), D(2025, 3, 20)),  # never on a month end
        (on_month_end, second, D(2025, 1, 31), D(2025, 6, 30)),  # in on 01-31, out on 06-30
        (elsewhere, second, D(2024, 1, 1), None),
        (gone, first, D(2023, 1, 1), D(2024, 1, 15)),  # withdrawn in the window's first month
    ):
        SupplierRegistrationFactory(
            enterprise=enterprise,
            organization=organization,
            registered_on=registered,
            withdrawn_on=withdrawn,
        )
    for organization, enterprise, day in (
        (first, early, D(2024, 3, 3)),
        (first, early, D(2025, 12, 31)),
        (second, overlapping, D(2024, 8, 15)),  # registered with second then
        (first, overlapping, D(2025, 4, 30)),
        (first, same_month, D(2025, 3, 10)),
        (second, on_month_end, D(2025, 6, 30)),  # withdrawn that day: not registered on end
        (first, elsewhere, D(2025, 2, 2)),  # registered with the other organization only
        (first, gone, D(2024, 1, 10)),
    ):
        award(organization, enterprise, day, "1000.00")
    refresh_snapshot(trigger="command", today=TODAY)

    for scope in (Scope.everyone(), Scope.of(first.pk), Scope.of(second.pk)):
        for period in standard_periods(TODAY):
            assert_same(scope, period)
            if period.kind == "year":
                assert_same(scope, period, "sector")
                assert_same(scope, period, "region")


def test_an_enterprise_without_sector_or_region_is_its_own_part():
    organization = OrganizationFactory()
    enterprise = EnterpriseFactory(primary_sector=None, region=None)
    SupplierRegistrationFactory(
        enterprise=enterprise, organization=organization, registered_on=D(2025, 1, 1)
    )
    award(organization, enterprise, D(2025, 2, 1), "10.00")
    Sector.objects.get_or_create(
        code="23", defaults={"level": "sector", "name_fr": "Construction", "name_en": "Build"}
    )
    refresh_snapshot(trigger="command", today=TODAY)

    year = next(period for period in standard_periods(TODAY) if period.key == "2025")
    for scope in (Scope.everyone(), Scope.of(organization.pk)):
        for breakdown in ("sector", "region"):
            assert_same(scope, year, breakdown)


def test_months_are_bits_counted_from_the_windows_first_month():
    assert month_number(D(2024, 1, 1), D(2024, 1, 31)) == 0
    assert month_number(D(2024, 1, 1), D(2026, 12, 31)) == 35
    assert month_number(D(2024, 1, 1), D(2023, 12, 1)) == -1


def test_runs_of_bits_are_the_ranges_of_consecutive_months():
    assert list(bit_runs(0)) == []
    assert list(bit_runs(0b1)) == [(0, 1)]
    assert list(bit_runs(0b0111_0110)) == [(1, 3), (4, 7)]
    assert list(bit_runs((1 << 36) - 1)) == [(0, 36)]
