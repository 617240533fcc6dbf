import hashlib

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.catalogue import CATALOGUE

CODE_CHOICES = [(indicator.code, indicator.code) for indicator in CATALOGUE]


class SnapshotQuerySet(models.QuerySet):
    def complete(self):
        return self.filter(status=Snapshot.Status.COMPLETE)

    def latest_complete(self):
        return self.complete().order_by("-computed_at", "-id").first()


class Snapshot(models.Model):
    """One complete computation of every indicator; pages read the latest complete one."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        COMPLETE = "complete", _("Complete")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        CHANGE = "change", _("Records changed")
        MANUAL = "manual", _("Refresh button")
        COMMAND = "command", _("Command")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    measurements_count = models.PositiveIntegerField(_("measurements"), default=0)
    # Whether one organization's method, sector and region parts are stored rows. The writer
    # stores them for the all-organizations scope only (indicators.services): an
    # organization's parts then come live from its own few records. Older snapshots hold
    # them (hence the default).
    organization_parts = models.BooleanField(_("organization parts stored"), default=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["status", "-computed_at"], name="snapshot_latest_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status} {self.computed_at or self.started_at}"

    def cache_key(self, namespace: str, *what) -> str:
        """A cache key for something made from this snapshot and `what` (a snapshot never
        changes: the dashboards' figures and the API's answers are kept under these)."""
        signature = repr((self.pk, self.computed_at, *what))
        return f"indicators:{namespace}:" + hashlib.sha256(signature.encode()).hexdigest()


class Measurement(models.Model):
    """One indicator value for a scope and period in a snapshot, whole or one breakdown part.

    Scope: `organization` (null = all organizations), or `cohort` for a cohort's rows (with
    a null organization). Period: a year, quarter or month given by its first and last day,
    or a cohort's own dates. `breakdown` is '' for the total, else method/sector/region/
    organization/month (and `kind` for activity participants by activity type), with `key`
    the part (e.g. 'direct', '72', '16', an organization id, '2025-03').
    """

    # Measurements are written a million at a time: no index of their own on the foreign
    # keys (the read index starts with the snapshot; cohorts have a partial index, Meta), and
    # no foreign-key constraints in the database, which would check every row at commit
    # (about a third of a refresh). They are derived rows: the refresh writes them in one
    # transaction for the snapshot it created, from the organizations and cohorts it read;
    # Django still deletes them with their snapshot, organization or cohort (on_delete), and
    # an orphan left by a raw deletion is never read (rows are read by snapshot and scope)
    # and goes with its snapshot (prune_snapshots).
    snapshot = models.ForeignKey(
        Snapshot,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("snapshot"),
        db_index=False,
        db_constraint=False,
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("organization"),
        db_index=False,
        db_constraint=False,
    )
    # A cohort's rows (indicators.cohorts) carry the cohort and no organization; every other
    # scope's rows have no cohort.
    cohort = models.ForeignKey(
        "initiatives.Cohort",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("cohort"),
        db_index=False,
        db_constraint=False,
    )
    period = models.CharField(_("period"), max_length=10)  # 2025, 2025-Q1, 2025-03
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    code = models.CharField(_("indicator"), max_length=60)
    breakdown = models.CharField(_("breakdown"), max_length=20, blank=True, default="")
    key = models.CharField(_("part"), max_length=60, blank=True, default="")
    label = models.CharField(_("part label"), max_length=200, blank=True, default="")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6, null=True, blank=True)
    numerator = models.DecimalField(
        _("numerator"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=20, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        indexes = [
            models.Index(
                fields=["snapshot", "organization", "start", "end", "breakdown"],
                name="measurement_read_idx",
            ),
            models.Index(
                fields=["cohort"], condition=Q(cohort__isnull=False), name="measurement_cohort_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.period} {self.breakdown}:{self.key} = {self.value}"


class TargetQuerySet(models.QuerySet):
    def for_scope(self, organization_id: int | None, start, end):
        return self.filter(organization_id=organization_id, start=start, end=end)


class Target(models.Model):
    """A target value for one indicator, scope and period (objectifs ambitieux et mesurables)."""

    code = models.CharField(_("indicator"), max_length=60, choices=CODE_CHOICES)
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="indicator_targets",
        null=True,
        blank=True,
        verbose_name=_("organization"),
        help_text=_("Empty for the all-organizations scope."),
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    value = models.DecimalField(
        _("target"), max_digits=20, decimal_places=6, validators=[MinValueValidator(0)]
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["code", "-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "organization", "start", "end"],
                condition=Q(organization__isnull=False),
                name="target_once_per_scope",
            ),
            models.UniqueConstraint(
                fields=["code", "start", "end"],
                condition=Q(organization__isnull=True),
                name="target_once_platform_wide",
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="target_period_in_order"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.start}..{self.end}: {self.value}"
