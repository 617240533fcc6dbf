"""The indicators API: its query (validated) and its answer (one shape, documented)."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from indicators.catalogue import Unit
from indicators.report import ALL_BREAKDOWNS, CENTS, Report, Value, component_unit
from portal.accounts.models import Organization
from portal.initiatives.models import Cohort

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)
LONGEST_YEARS = 10


class PeriodDateField(serializers.DateField):
    """A date that may be left out (a cohort gives its own), but not sent empty: an empty
    value is a badly formatted date, as when the date was required."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, empty)


class IndicatorQuerySerializer(serializers.Serializer):
    """`GET /api/indicators/` parameters."""

    organization = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("Organization id; leave out for all organizations (coordinators only)."),
    )
    cohort = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "Cohort id: the indicators of the cohort's organizations and SEEs; the period "
            "defaults to the cohort's dates."
        ),
    )
    start = PeriodDateField(
        required=False,
        help_text=_("First day of the period (YYYY-MM-DD); optional with a cohort only."),
    )
    end = PeriodDateField(
        required=False,
        help_text=_("Last day of the period, included (YYYY-MM-DD); optional with a cohort only."),
    )
    breakdown = serializers.ChoiceField(
        choices=ALL_BREAKDOWNS,
        required=False,
        help_text=_(
            "Break every indicator down by method, sector, region, organization, month "
            "or (people reached) activity kind."
        ),
    )

    def validate_organization(self, value: int) -> Organization:
        organization = Organization.objects.filter(pk=value).first()
        if organization is None:
            raise serializers.ValidationError(_("No organization has this id."))
        return organization

    def validate_cohort(self, value: int) -> Cohort:
        cohort = Cohort.objects.filter(pk=value).first()
        if cohort is None:
            raise serializers.ValidationError(_("No cohort has this id."))
        return cohort

    def validate(self, data):
        cohort = data.get("cohort")
        if cohort is not None:
            if data.get("organization") is not None:
                raise serializers.ValidationError(
                    {"cohort": _("Ask for an organization or a cohort, not both.")}
                )
            data.setdefault("start", cohort.start)
            data.setdefault("end", cohort.end)
        missing = {
            name: _("This field is required.") for name in ("start", "end") if name not in data
        }
        if missing:
            raise serializers.ValidationError(missing)
        start, end = data["start"], data["end"]
        if end < start:
            raise serializers.ValidationError({"end": _("The end comes before the start.")})
        if start < EARLIEST or end > LATEST:
            raise serializers.ValidationError(
                _("Dates must fall between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}
            )
        if (end - start).days >= LONGEST_YEARS * 365 + LONGEST_YEARS // 4 + 1:
            raise serializers.ValidationError(
                {"end": _("A period lasts at most %(years)s years.") % {"years": LONGEST_YEARS}}
            )
        return data


def _money(number) -> str | None:
    return None if number is None else f"{Decimal(number).quantize(CENTS)}"


def _count(number) -> int | None:
    return None if number is None else int(number)


def _share(number) -> float | None:
    return None if number is None else float(number)


def _nothing(number) -> None:
    return None


def renderer(unit: str | None):
    """How numbers of a unit are written: money as a decimal string with 2 places, counts
    as integers, shares as numbers (chosen once per indicator, not for every part)."""
    if unit is None:
        return _nothing
    return {Unit.MONEY: _money, Unit.COUNT: _count}.get(unit, _share)


@extend_schema_field(
    {
        # anyOf, not oneOf: an integer count is also a number, so it would match two.
        "anyOf": [
            {"type": "string", "format": "decimal", "description": "money, 2 decimals"},
            {"type": "integer", "description": "count"},
            {"type": "number", "description": "share in 0..1"},
        ],
        "nullable": True,
    }
)
class NumberField(serializers.Field):
    """A number typed by the indicator's unit (rendered by the parent serializer)."""

    def to_representation(self, value):
        return value


class PartSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text=_(
            "Method, sector code, region code, organization id, month (YYYY-MM) or activity kind."
        )
    )
    label = serializers.CharField()
    value = NumberField()
    numerator = NumberField()
    denominator = NumberField()


class IndicatorValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.ChoiceField(choices=[Unit.MONEY, Unit.COUNT, Unit.SHARE])
    value = NumberField()
    numerator = NumberField(help_text=_("Shares only."))
    denominator = NumberField(help_text=_("Shares only."))
    breakdown = PartSerializer(
        many=True, required=False, help_text=_("Only when a breakdown is asked for.")
    )
    parts_add_up = serializers.BooleanField(
        allow_null=True,
        required=False,
        help_text=_(
            "Whether the parts add up to the value; null when the breakdown does not "
            "apply to this indicator."
        ),
    )

    def to_representation(self, value: Value) -> dict:
        return indicator_data(value, breakdown=bool(self.context.get("breakdown")))


def indicator_data(value: Value, *, breakdown: bool) -> dict:
    """One indicator as IndicatorValueSerializer documents it, in plain dicts: an
    all-organizations sector breakdown has about 1 350 parts."""
    unit = value.unit
    number, component = renderer(unit), renderer(component_unit(value.code))
    data = {
        "code": value.code,
        "label": value.label,
        "unit": unit,
        "value": number(value.value),
        "numerator": component(value.numerator),
        "denominator": component(value.denominator),
    }
    if breakdown:
        data["breakdown"] = [
            {
                "key": part.key,
                "label": part.label,
                "value": number(part.value),
                "numerator": component(part.numerator),
                "denominator": component(part.denominator),
            }
            for part in value.parts
        ]
        data["parts_add_up"] = value.parts_add_up
    return data


class ScopeSerializer(serializers.Serializer):
    organization = serializers.IntegerField(allow_null=True, help_text=_("Null: all."))
    cohort = serializers.IntegerField(required=False, help_text=_("Only for a cohort's scope."))
    label = serializers.CharField()


def scope_data(organization, cohort) -> dict:
    """The answer's scope: an organization, all of them, or a cohort, with its name."""
    if cohort is not None:
        return {"organization": None, "cohort": cohort.pk, "label": str(cohort)}
    return {
        "organization": organization.pk if organization else None,
        "label": organization.name if organization else str(_("All organizations")),
    }


class IndicatorReportSerializer(serializers.Serializer):
    scope = ScopeSerializer()
    start = serializers.DateField()
    end = serializers.DateField()
    computed_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the values were computed.")
    )
    source = serializers.ChoiceField(
        choices=["snapshot", "live"],
        help_text=_("Snapshot for a calendar year, quarter or month; live otherwise."),
    )
    breakdown = serializers.CharField(allow_null=True)
    indicators = IndicatorValueSerializer(many=True)

    def to_representation(self, report: Report) -> dict:
        return {
            "scope": scope_data(self.context.get("organization"), self.context.get("cohort")),
            "start": report.start.isoformat(),
            "end": report.end.isoformat(),
            "computed_at": serializers.DateTimeField().to_representation(report.computed_at)
            if report.computed_at
            else None,
            "source": report.source,
            "breakdown": report.breakdown,
            "indicators": [
                indicator_data(value, breakdown=bool(report.breakdown))
                for value in report.ordered()
            ],
        }
