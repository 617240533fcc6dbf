"""Forms of the indicator pages: the period selector and the target form."""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date
from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from indicators.catalogue import BY_CODE, CATALOGUE
from indicators.report import standard_period
from indicators.targets import FIRST_YEAR, LAST_YEAR
from portal.accounts.models import Organization
from portal.templatetags.portal import current_locale

# A custom range is computed live on every view: keep it to a reasonable span.
MAX_CUSTOM_DAYS = 5 * 366


@dataclass(frozen=True)
class Period:
    """A dashboard period: a calendar year, quarter or month, or a custom range (inclusive)."""

    kind: str  # year, quarter, month or custom
    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls("year", dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        first = 3 * (quarter - 1) + 1
        last = first + 2
        end = dt.date(year, last, calendar.monthrange(year, last)[1])
        return cls("quarter", dt.date(year, first, 1), end)

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(
            "month",
            dt.date(year, month, 1),
            dt.date(year, month, calendar.monthrange(year, month)[1]),
        )

    @classmethod
    def spanning(cls, start: dt.date, end: dt.date) -> "Period":
        """The period start..end, named a year, quarter or month when it is exactly one."""
        name = standard_period(start, end)
        if name is None:
            return cls("custom", start, end)
        if "-Q" in name:
            return cls("quarter", start, end)
        return cls("month" if "-" in name else "year", start, end)

    @classmethod
    def default(cls) -> "Period":
        return cls.year(timezone.localdate().year)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same length just before: previous year, quarter, month or days."""
        if self.kind == "year":
            return Period.year(self.start.year - 1)
        if self.kind == "quarter":
            quarter = (self.start.month - 1) // 3 + 1
            if quarter == 1:
                return Period.quarter(self.start.year - 1, 4)
            return Period.quarter(self.start.year, quarter - 1)
        if self.kind == "month":
            if self.start.month == 1:
                return Period.month(self.start.year - 1, 12)
            return Period.month(self.start.year, self.start.month - 1)
        end = self.start - dt.timedelta(days=1)
        return Period("custom", end - dt.timedelta(days=self.days - 1), end)

    @property
    def label(self) -> str:
        locale = current_locale()
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            quarter = (self.start.month - 1) // 3 + 1
            return gettext("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": self.start.year}
        if self.kind == "month":
            return format_date(self.start, "LLLL y", locale=locale)
        start = format_date(self.start, "d MMM y", locale=locale)
        return f"{start} – {format_date(self.end, 'd MMM y', locale=locale)}"

    def query(self) -> dict[str, str]:
        """GET parameters that select this period again (links to exports, report, targets)."""
        params = {"kind": self.kind, "year": str(self.start.year)}
        if self.kind == "quarter":
            params["quarter"] = str((self.start.month - 1) // 3 + 1)
        elif self.kind == "month":
            params["month"] = str(self.start.month)
        elif self.kind == "custom":
            params = {
                "kind": "custom",
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
            }
        return params


class PeriodForm(forms.Form):
    """The period selector: a GET form; any field left out takes today's year, quarter or month."""

    KIND_CHOICES = [
        ("year", _("Year")),
        ("quarter", _("Quarter")),
        ("month", _("Month")),
        ("custom", _("Custom range")),
    ]
    QUARTER_CHOICES = [(q, _("Q%(quarter)s") % {"quarter": q}) for q in range(1, 5)]

    kind = forms.ChoiceField(label=_("Period"), choices=KIND_CHOICES, required=False)
    year = forms.IntegerField(
        label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=QUARTER_CHOICES, coerce=int, required=False, empty_value=None
    )
    month = forms.TypedChoiceField(
        label=_("Month"), choices=(), coerce=int, required=False, empty_value=None
    )
    start = forms.DateField(
        label=_("From (custom range)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("To (custom range)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data=None, *args, **kwargs):
        today = timezone.localdate()
        if data is not None:
            # Fields left out show today's year, quarter and month, as the period uses them.
            defaults = {
                "kind": "year",
                "year": str(today.year),
                "quarter": str((today.month - 1) // 3 + 1),
                "month": str(today.month),
            }
            data = {**defaults, **{key: data.get(key) for key in data}}
        super().__init__(data, *args, **kwargs)
        locale = current_locale()
        self.fields["month"].choices = [
            (m, format_date(dt.date(2000, m, 1), "LLLL", locale=locale)) for m in range(1, 13)
        ]
        self.fields["year"].initial = today.year
        self.fields["quarter"].initial = (today.month - 1) // 3 + 1
        self.fields["month"].initial = today.month

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        kind = data.get("kind") or "year"
        year = data.get("year") or today.year
        if kind == "year":
            data["period"] = Period.year(year)
        elif kind == "quarter":
            data["period"] = Period.quarter(year, data.get("quarter") or (today.month - 1) // 3 + 1)
        elif kind == "month":
            data["period"] = Period.month(year, data.get("month") or today.month)
        else:
            data["period"] = self._custom_period(data.get("start"), data.get("end"))
        return data

    def _custom_period(self, start: dt.date | None, end: dt.date | None) -> Period:
        if start is None or end is None:
            raise forms.ValidationError(
                _("A custom range needs both a start date and an end date."), code="incomplete"
            )
        if end < start:
            raise forms.ValidationError(
                _("The end date must be on or after the start date."), code="inverted"
            )
        if start.year < FIRST_YEAR or end.year > LAST_YEAR:
            raise forms.ValidationError(
                _("Choose dates between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
                code="out_of_range",
            )
        if (end - start).days + 1 > MAX_CUSTOM_DAYS:
            raise forms.ValidationError(
                _("A custom range can cover at most five years."), code="too_long"
            )
        return Period("custom", start, end)

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]


class PlatformPeriodForm(PeriodForm):
    """The coordinators' selector: a period and, optionally, one organization."""

    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.active(),
        required=False,
        empty_label=_("All organizations"),
    )

    field_order = ["organization"]


class TargetForm(forms.Form):
    """A target for one indicator, scope and period; shares are entered as percentages."""

    organization = forms.ChoiceField(label=_("Scope"), required=False)
    code = forms.ChoiceField(label=_("Indicator"))
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    value = forms.DecimalField(
        label=_("Target"),
        max_digits=20,
        decimal_places=6,
        help_text=_(
            "In the indicator's unit: dollars, a number, or a percentage for a share (25 for 25 %)."
        ),
    )

    def __init__(self, *args, organizations, allow_platform: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", gettext("All organizations (platform)"))] if allow_platform else []
        choices += [(str(org.pk), org.name) for org in organizations]
        self.fields["organization"].choices = choices
        self.fields["code"].choices = [(i.code, i.label) for i in CATALOGUE]
        self.organizations = {str(org.pk): org for org in organizations}
        self.allow_platform = allow_platform

    def clean_organization(self):
        """An organization the user manages, or None (all organizations) for coordinators."""
        chosen = self.cleaned_data["organization"]
        if not chosen and not self.allow_platform:
            raise forms.ValidationError(_("Choose an organization."), code="required")
        return self.organizations.get(chosen)

    def target_value(self) -> Decimal:
        """The value in the catalogue's unit: a share is stored as a fraction of 1."""
        value = self.cleaned_data["value"]
        indicator = BY_CODE.get(self.cleaned_data.get("code"))
        if indicator is not None and indicator.is_share:
            return value / 100
        return value
