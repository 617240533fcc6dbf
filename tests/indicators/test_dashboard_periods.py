"""Periods of the dashboards: each compared with the period of the same length just before."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from indicators.forms import Period, PeriodForm

D = dt.date


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (Period.year(2025), Period.year(2024)),
        (Period.quarter(2025, 1), Period.quarter(2024, 4)),
        (Period.quarter(2025, 3), Period.quarter(2025, 2)),
        (Period.month(2025, 1), Period.month(2024, 12)),
        (Period.month(2024, 3), Period.month(2024, 2)),
        (
            Period("custom", D(2025, 2, 1), D(2025, 4, 15)),
            Period("custom", D(2024, 11, 19), D(2025, 1, 31)),
        ),
    ],
)
def test_each_period_is_compared_with_the_one_just_before(period, previous):
    assert period.previous() == previous
    assert previous.days == period.days or period.kind != "custom"


def test_a_leap_february_ends_on_the_29th():
    assert Period.month(2024, 2).end == D(2024, 2, 29)


@pytest.mark.parametrize(
    ("start", "end", "kind"),
    [
        (D(2025, 1, 1), D(2025, 12, 31), "year"),
        (D(2025, 4, 1), D(2025, 6, 30), "quarter"),
        (D(2025, 6, 1), D(2025, 6, 30), "month"),
        (D(2025, 6, 2), D(2025, 6, 30), "custom"),
    ],
)
def test_a_date_range_is_named_when_it_is_a_standard_period(start, end, kind):
    assert Period.spanning(start, end) == Period(kind, start, end)


def test_periods_are_named_in_french():
    with translation.override("fr-ca"):
        assert Period.quarter(2025, 2).label == "T2 2025"
        assert Period.month(2025, 3).label == "mars 2025"
        assert Period("custom", D(2025, 2, 1), D(2025, 4, 15)).label == (
            "1 févr. 2025 – 15 avr. 2025"
        )


def test_a_period_selects_itself_again_in_a_link():
    form = PeriodForm(Period.quarter(2025, 2).query())

    assert form.is_valid()
    assert form.period == Period.quarter(2025, 2)


def test_missing_fields_take_todays_year():
    form = PeriodForm({"kind": "year"})

    assert form.is_valid()
    assert form.period.start.year == timezone.localdate().year
