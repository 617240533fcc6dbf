"""Targets (objectifs ambitieux et mesurables): setting them and measuring progress."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.catalogue import BY_CODE, Unit
from indicators.models import Target
from portal.accounts.models import Organization, User
from portal.accounts.roles import roles_for

MAX_TARGET = Decimal("1e13")  # what the value column holds (20 digits, 6 decimals)
# The years the portal measures: nothing is recorded before 2000 or planned after 2100.
FIRST_YEAR = 2000
LAST_YEAR = 2100


def can_set_targets(user, organization: Organization | None) -> bool:
    """Managers of the organization and coordinators; only coordinators for the platform."""
    roles = roles_for(user)
    if organization is None:
        return roles.coordinator
    return roles.can_manage(organization.pk)


@transaction.atomic
def set_target(
    *,
    code: str,
    organization: Organization | None,
    start: dt.date,
    end: dt.date,
    value: Decimal,
    by: User,
) -> Target:
    """Create or replace the target of one indicator for a scope and period."""
    if not can_set_targets(by, organization):
        raise PermissionDenied(_("Only managers of the organization and coordinators set targets."))
    errors: dict[str, str] = {}
    indicator = BY_CODE.get(code)
    if indicator is None:
        errors["code"] = _("Unknown indicator: %(code)s.") % {"code": code}
    if start is None or end is None:
        errors["end"] = _("A target needs a start date and an end date.")
    elif end < start:
        errors["end"] = _("The end date must be on or after the start date.")
    elif start.year < FIRST_YEAR or end.year > LAST_YEAR:
        errors["end"] = _("Choose dates between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    value = Decimal(value) if value is not None else None
    if value is None or not value.is_finite():
        errors["value"] = _("Enter a number.")
    elif value < 0:
        errors["value"] = _("A target cannot be negative.")
    elif indicator is not None and indicator.is_share and value > 1:
        errors["value"] = _("A share target is between 0 % and 100 %.")
    elif indicator is not None and indicator.unit == Unit.COUNT and value != value.to_integral():
        errors["value"] = _("This indicator counts things: enter a whole number.")
    elif value >= MAX_TARGET:
        errors["value"] = _("This target is too large.")
    if errors:
        raise ValidationError(errors)
    target, _created = Target.objects.update_or_create(
        code=code,
        organization=organization,
        start=start,
        end=end,
        defaults={"value": value, "set_by": by},
    )
    return target


@dataclass
class Progress:
    """Where an indicator stands against its target."""

    code: str
    target: Decimal
    actual: Decimal | int | None

    @property
    def indicator(self):
        return BY_CODE[self.code]

    @property
    def ratio(self) -> Decimal | None:
        """actual / target; None when either is unknown or the target is zero."""
        if self.actual is None or not self.target:
            return None
        return Decimal(self.actual) / self.target

    @property
    def gap(self) -> Decimal | None:
        """actual − target in the indicator's unit (negative: still to go)."""
        if self.actual is None:
            return None
        return Decimal(self.actual) - self.target

    @property
    def reached(self) -> bool:
        return self.gap is not None and self.gap >= 0


def progress_for(targets, values: dict) -> list[Progress]:
    """One Progress per target, in catalogue order, from a Report's values."""
    order = {code: index for index, code in enumerate(BY_CODE)}
    rows = [
        Progress(
            code=target.code,
            target=target.value,
            actual=values[target.code].value if target.code in values else None,
        )
        for target in targets
        if target.code in BY_CODE
    ]
    return sorted(rows, key=lambda row: order[row.code])
