"""Initiatives run by coordinators in cohorts, their calls for interest, and online training.

An initiative (*L'économie sociale, j'achète!*) runs in successive cohorts; a cohort gathers
buying organizations (who signed the commitment declaration) and EÉS (kept after a call for
interest, or added by a coordinator). Training modules are the plan's *Former* measure.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def in_language(french: str, english: str) -> str:
    """The English text when English is active and written, the French one otherwise."""
    if (get_language() or "fr")[:2] == "en" and english:
        return english
    return french


# First segments of /initiatives/ URLs that an initiative's slug must not take.
RESERVED_SLUGS = {"nouvelle", "cohortes", "appels", "candidatures", "portfolio", "formation"}


class Initiative(models.Model):
    """A programme run by a coordinating body, e.g. « L'économie sociale, j'achète! »."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    coordinating_body = models.CharField(_("coordinating body"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self) -> str:
        base = slugify(self.name)[:200] or "initiative"
        if base in RESERVED_SLUGS:
            base = f"{base}-initiative"
        slug, n = base, 2
        while Initiative.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def get_absolute_url(self) -> str:
        return reverse("initiatives:initiative", kwargs={"slug": self.slug})


class CohortQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(
            organization_count=Count("participating_organizations", distinct=True),
            enterprise_count=Count("participating_enterprises", distinct=True),
        )


class Cohort(models.Model):
    """One round of an initiative, with its dates, organizations and EÉS."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("start date"))
    end = models.DateField(_("end date"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["initiative", "start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="cohort_ends_after_it_starts",
                violation_error_message=_("The end date must be on or after the start date."),
            ),
            models.UniqueConstraint(
                fields=["initiative", "name"],
                name="cohort_name_once_per_initiative",
                violation_error_message=_("This initiative already has a cohort of that name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} — {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("initiatives:cohort", kwargs={"pk": self.pk})

    # The indicator engine's cohort scope reads these three (with `start` and `end`).
    def organization_ids(self) -> list[int]:
        """Buying organizations taking part in the cohort."""
        return list(self.participating_organizations.values_list("organization_id", flat=True))

    def enterprise_ids(self) -> list[int]:
        """EÉS taking part in the cohort (kept after a call or added by a coordinator)."""
        return list(self.participating_enterprises.values_list("enterprise_id", flat=True))


class CohortOrganization(models.Model):
    """A buying organization taking part in a cohort, from its commitment declaration."""

    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        on_delete=models.CASCADE,
        related_name="participating_organizations",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="cohort_participations",
    )
    commitment_signed_on = models.DateField(_("commitment declaration signed on"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participating organization")
        verbose_name_plural = _("participating organizations")
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "organization"],
                name="cohort_organization_once",
                violation_error_message=_("This organization already takes part in the cohort."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} @ {self.cohort}"


class CohortEnterprise(models.Model):
    """An EÉS taking part in a cohort: kept after its application, or added by a coordinator."""

    class Source(models.TextChoices):
        APPLICATION = "application", _("Kept after its application")
        COORDINATOR = "coordinator", _("Added by a coordinator")

    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        on_delete=models.CASCADE,
        related_name="participating_enterprises",
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="cohort_participations",
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    application = models.OneToOneField(
        "Application",
        verbose_name=_("application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participation",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participating enterprise")
        verbose_name_plural = _("participating enterprises")
        ordering = ["enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "enterprise"],
                name="cohort_enterprise_once",
                violation_error_message=_("This enterprise already takes part in the cohort."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} @ {self.cohort}"


class CallQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(
            application_count=Count("applications", distinct=True),
            kept_count=Count(
                "applications",
                filter=Q(applications__status=Application.Status.KEPT),
                distinct=True,
            ),
        )


class Call(models.Model):
    """A call for interest: EÉS apply to join a cohort and are selected by criteria."""

    class State(models.TextChoices):
        UPCOMING = "upcoming", _("Upcoming")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="calls"
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    description = models.TextField(_("description"), blank=True)
    # A coordinator may close a call before its closing date; dates alone do not say so.
    is_open = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for interest")
        verbose_name_plural = _("calls for interest")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="call_closes_after_it_opens",
                violation_error_message=_("The closing date must be on or after the opening date."),
            )
        ]

    def __str__(self) -> str:
        return _("Call for interest — %(cohort)s") % {"cohort": self.cohort}

    def get_absolute_url(self) -> str:
        return reverse("initiatives:call", kwargs={"pk": self.pk})

    def accepts_applications_on(self, day) -> bool:
        return self.is_open and self.opens_on <= day <= self.closes_on

    @property
    def accepts_applications(self) -> bool:
        return self.accepts_applications_on(timezone.localdate())

    @property
    def state(self) -> str:
        today = timezone.localdate()
        if not self.is_open or today > self.closes_on:
            return self.State.CLOSED
        return self.State.UPCOMING if today < self.opens_on else self.State.OPEN

    @property
    def state_label(self) -> str:
        return self.State(self.state).label

    def max_points(self) -> int:
        """Σ weight × max_score over the call's criteria: the denominator of every total."""
        return sum(c.weight * c.max_score for c in self.criteria.all())


class Criterion(models.Model):
    """A selection criterion of a call, with its weight and its scale (0..max_score)."""

    call = models.ForeignKey(
        Call, verbose_name=_("call for interest"), on_delete=models.CASCADE, related_name="criteria"
    )
    label_fr = models.CharField(_("label (French)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_score = models.PositiveSmallIntegerField(
        _("maximum score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(max_score__gte=1),
                name="criterion_weight_and_scale_positive",
                violation_error_message=_("Weight and maximum score must be at least 1."),
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.label_fr, self.label_en)


class ApplicationQuerySet(models.QuerySet):
    def with_points(self):
        """Annotate `points` = Σ weight × score over the scores given so far."""
        return self.annotate(
            points=Sum(F("scores__score") * F("scores__criterion__weight")),
            scored_criteria=Count("scores", distinct=True),
        )

    def visible_to(self, user):
        """Coordinators see every application; representatives those of their enterprises."""
        from portal.accounts.roles import roles_for

        roles = roles_for(user)
        if roles.coordinator:
            return self
        return self.filter(enterprise_id__in=roles.enterprise_ids)


class Application(models.Model):
    """An EÉS's answer to a call for interest, and the coordinator's decision on it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        KEPT = "kept", _("Kept")
        DECLINED = "declined", _("Not kept")

    # A decision is final: reversing one means a new call, not an edit of history.
    STATUS_MOVES = {
        Status.SUBMITTED: {Status.KEPT, Status.DECLINED},
        Status.KEPT: set(),
        Status.DECLINED: set(),
    }

    call = models.ForeignKey(
        Call,
        verbose_name=_("call for interest"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="cohort_applications",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="cohort_applications",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "enterprise"],
                name="application_once_per_call",
                violation_error_message=_("This enterprise has already applied to this call."),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decision_reason=""),
                name="application_decline_has_reason",
                violation_error_message=_("Declining an application needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} — {self.call}"

    def get_absolute_url(self) -> str:
        return reverse("initiatives:application", kwargs={"pk": self.pk})

    def can_move_to(self, status: str) -> bool:
        return status in self.STATUS_MOVES.get(self.status, set())

    @staticmethod
    def share_of(points, max_points: int) -> Decimal | None:
        """Weighted total as a share in 0..1; None before any score (not 0)."""
        if points is None or not max_points:
            return None
        return Decimal(points) / Decimal(max_points)


class Answer(models.Model):
    """An applicant's short answer to one criterion."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="answers"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField(_("answer"), max_length=2000)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="answer_once")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Score(models.Model):
    """A coordinator's score of one application on one criterion (0..criterion.max_score)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


# --- Online training (the plan's *Former* measure) ------------------------------------------


class TrainingModuleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        from portal.accounts.roles import roles_for

        return self if roles_for(user).coordinator else self.published()


class TrainingModule(models.Model):
    """A short bilingual module: lessons to read, then a few questions."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of correct answers needed to complete the module."),
    )
    is_published = models.BooleanField(_("published"), default=False)

    objects = TrainingModuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:training-module", kwargs={"slug": self.slug})

    @property
    def title(self) -> str:
        return in_language(self.title_fr, self.title_en)

    @property
    def summary(self) -> str:
        return in_language(self.summary_fr, self.summary_en)


class Lesson(models.Model):
    """One short text of a module (paragraphs separated by blank lines)."""

    module = models.ForeignKey(
        TrainingModule, verbose_name=_("module"), on_delete=models.CASCADE, related_name="lessons"
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_fr = models.TextField(_("text (French)"))
    body_en = models.TextField(_("text (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self.title_fr, self.title_en)

    @property
    def body(self) -> str:
        return in_language(self.body_fr, self.body_en)


class Question(models.Model):
    """A multiple-choice question of a module; exactly one choice should be correct."""

    module = models.ForeignKey(
        TrainingModule,
        verbose_name=_("module"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    text_fr = models.CharField(_("question (French)"), max_length=400)
    text_en = models.CharField(_("question (English)"), max_length=400, blank=True)
    explanation_fr = models.TextField(_("explanation (French)"), blank=True)
    explanation_en = models.TextField(_("explanation (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_language(self.text_fr, self.text_en)

    @property
    def explanation(self) -> str:
        return in_language(self.explanation_fr, self.explanation_en)


class Choice(models.Model):
    """One possible answer to a question."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    text_fr = models.CharField(_("answer (French)"), max_length=300)
    text_en = models.CharField(_("answer (English)"), max_length=300, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_language(self.text_fr, self.text_en)


class TrainingCompletionQuerySet(models.QuerySet):
    def in_period(self, start=None, end=None):
        """Completed between start and end, both dates inclusive, in the portal's time zone."""
        qs = self
        if start is not None:
            qs = qs.filter(completed_at__date__gte=start)
        if end is not None:
            qs = qs.filter(completed_at__date__lte=end)
        return qs

    def of_organizations(self, organization_ids=None):
        """Completions counted for buying organizations: all of them when ids is None.

        A completion by someone without an organization (an EÉS representative, say) is
        never counted for an organization.
        """
        if organization_ids is None:
            return self.filter(organization__isnull=False)
        return self.filter(organization_id__in=organization_ids)

    def people_trained(self, organization_ids=None, start=None, end=None) -> int:
        """Distinct people of the scope's organizations who completed a module in the period."""
        return (
            self.of_organizations(organization_ids)
            .in_period(start, end)
            .values("user_id")
            .distinct()
            .count()
        )

    def people_trained_by_organization(
        self, organization_ids=None, start=None, end=None
    ) -> dict[int, int]:
        """{organization id: distinct people trained} for the scope and period.

        A person counts once per organization; the parts add up to `people_trained` unless one
        person completed modules for two organizations.
        """
        rows = (
            self.of_organizations(organization_ids)
            .in_period(start, end)
            .values("organization_id")
            .annotate(people=Count("user_id", distinct=True))
            .order_by("organization_id")
        )
        return {row["organization_id"]: row["people"] for row in rows}


class TrainingCompletion(models.Model):
    """A user passed a module; the organization is the user's one at completion time."""

    module = models.ForeignKey(
        TrainingModule,
        verbose_name=_("module"),
        on_delete=models.CASCADE,
        related_name="completions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="training_completions",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_completions",
    )
    score = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of correct answers, 0 to 1."),
    )
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    objects = TrainingCompletionQuerySet.as_manager()

    class Meta:
        verbose_name = _("training completion")
        verbose_name_plural = _("training completions")
        ordering = ["-completed_at"]
        indexes = [
            models.Index(fields=["organization", "completed_at"], name="completion_org_date_idx")
        ]
        constraints = [
            models.UniqueConstraint(fields=["module", "user"], name="completion_once_per_user"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="completion_score_is_a_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.module}"
