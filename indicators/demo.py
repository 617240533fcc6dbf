"""Demo data for the indicators: a few targets, then snapshots computed right away.

Called by portal.demo after the directory and procurement demo records exist, so that the
demo dashboards show figures, progress and gaps on the first visit.
"""

from decimal import Decimal

from django.utils import timezone

from indicators.forms import Period
from indicators.models import Snapshot
from indicators.services import refresh_snapshot
from indicators.targets import set_target

# (organization key or None for all organizations, code, value) for the current year.
DEMO_TARGETS = [
    ("ville-a", "ees_spend_share", Decimal("0.15")),
    ("ville-a", "ees_contracts", Decimal("12")),
    ("ville-a", "ees_registered", Decimal("25")),
    (None, "ees_spend_share", Decimal("0.10")),
    (None, "business_contacts", Decimal("100")),
]


def load(context) -> None:
    period = Period.year(timezone.localdate().year)
    for key, code, value in DEMO_TARGETS:
        organization = context.organizations.get(key) if key else None
        setter = context.users["manager"] if key else context.users["coordinator"]
        if key and organization is None:
            continue
        set_target(
            code=code,
            organization=organization,
            start=period.start,
            end=period.end,
            value=value,
            by=setter,
        )
    refresh_snapshot(trigger=Snapshot.Trigger.COMMAND)
