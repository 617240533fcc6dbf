"""Warming the dashboards after a refresh, so that the first view of a new snapshot is cached.

Pages cache their rendered figures per snapshot (indicators.views.figures_html): the first
view after each refresh used to render them itself (the snapshot reads, five SVG charts and
the template, several times the cost of a cached view). Once a new snapshot is committed
(transaction.on_commit: web processes cannot read it before), `refresh_snapshot` has
`warm_dashboards` render what the dashboards show first into the cache that web processes
share (Redis in production): the default period of the
all-organizations scope (the platform and public dashboards share its figures), then of each
active organization, in every language.

It is bounded: the WARM_ORGANIZATIONS organizations whose members signed in most recently,
and no longer than WARM_SECONDS (a dashboard it did not reach renders on its first view, as
before).
It never fails the refresh: an error is logged and the snapshot stays as it is.
"""

import logging
import time

from django.conf import settings
from django.db.models import F, Max
from django.utils import translation

from indicators.forms import Period
from indicators.models import Snapshot
from portal.accounts.models import Organization

logger = logging.getLogger(__name__)

# Time allowed for warming after a refresh (it delays the worker's next task, not the new
# snapshot): an organization takes about 0.07 s of CPU (two languages) whatever the data
# volume, so 100 organizations fit on a calm machine.
WARM_SECONDS = 10
# At most this many organizations (two entries each), which also stays within the 300 entries
# that the file and local-memory caches keep by default (Redis, in production, has no such
# limit): warming more would push out what it has just written.
WARM_ORGANIZATIONS = 100


def organizations_to_warm():
    """Active organizations, those whose members signed in most recently first."""
    return (
        Organization.objects.active()
        .annotate(last_seen=Max("memberships__user__last_login"))
        .order_by(F("last_seen").desc(nulls_last=True), "pk")
    )


def warm_dashboards(snapshot: Snapshot, *, seconds: float = WARM_SECONDS) -> int:
    """Render and cache the default dashboard figures of `snapshot`, in every language, for
    the all-organizations scope, then for the organizations to warm until `seconds` have
    passed; the number of scopes warmed. Never raises."""
    from indicators import views  # views imports the services that call this

    started = time.monotonic()
    warmed = 0
    try:
        period = Period.default()
        held = snapshot.measurements.filter(
            organization=None, cohort=None, start=period.start, end=period.end
        )
        if not held.exists():
            return 0  # a snapshot of other years (a test's or a command's `today`)
        template = views.figures_template(views.DASHBOARD_TEMPLATE)
        scopes = [views.Scope("platform")]
        organizations = organizations_to_warm()[:WARM_ORGANIZATIONS]
        scopes += [views.Scope("organization", org) for org in organizations]
        for scope in scopes:
            if warmed and time.monotonic() - started > seconds:  # after all organizations
                logger.info(
                    "Warming after snapshot #%s stopped after %s s: %s of %s scopes warmed",
                    snapshot.pk,
                    seconds,
                    warmed,
                    len(scopes),
                )
                break
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    views.figures_html(
                        scope, period, views.DASHBOARD_BREAKDOWNS, template, snapshot=snapshot
                    )
            warmed += 1
    except Exception:
        logger.exception("Warming the dashboards after snapshot #%s failed", snapshot.pk)
    return warmed
