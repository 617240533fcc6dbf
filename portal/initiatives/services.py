"""Workflows of initiatives: cohorts, calls for interest, selection, and training.

Every function is keyword-only and atomic: bad input raises ValidationError with a translated
message and leaves nothing half-saved. E-mails are queued on commit, with ids only.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from directory.models import Enterprise
from portal.accounts.models import Membership, Organization, User
from portal.accounts.roles import roles_for
from portal.initiatives import tasks
from portal.initiatives.models import (
    Answer,
    Application,
    Call,
    Cohort,
    CohortEnterprise,
    CohortOrganization,
    Criterion,
    Initiative,
    Score,
    TrainingCompletion,
    TrainingModule,
)
from portal.outbox import queue_after_commit


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion to create with a call."""

    label_fr: str
    label_en: str = ""
    weight: int = 1
    max_score: int = 5


def _require_coordinator(user: User) -> None:
    if not roles_for(user).coordinator:
        raise ValidationError(_("Only a coordinator may do this."))


@transaction.atomic
def create_initiative(
    *, name: str, coordinating_body: str, description: str = "", by: User
) -> Initiative:
    _require_coordinator(by)
    initiative = Initiative(
        name=name.strip(), coordinating_body=coordinating_body.strip(), description=description
    )
    initiative.full_clean(exclude=["slug"])
    initiative.save()
    return initiative


@transaction.atomic
def create_cohort(
    *,
    initiative: Initiative,
    name: str,
    start: datetime.date,
    end: datetime.date,
    description: str = "",
    by: User,
) -> Cohort:
    _require_coordinator(by)
    cohort = Cohort(
        initiative=initiative, name=name.strip(), start=start, end=end, description=description
    )
    # full_clean checks the dates' order (CheckConstraint) before the database would refuse.
    cohort.full_clean()
    cohort.save()
    return cohort


@transaction.atomic
def add_organization_to_cohort(
    *,
    cohort: Cohort,
    organization: Organization,
    commitment_signed_on: datetime.date,
    by: User,
) -> CohortOrganization:
    _require_coordinator(by)
    if commitment_signed_on > timezone.localdate():
        raise ValidationError(
            {
                "commitment_signed_on": _(
                    "The commitment declaration cannot be signed in the future."
                )
            }
        )
    if CohortOrganization.objects.filter(cohort=cohort, organization=organization).exists():
        raise ValidationError(_("This organization already takes part in the cohort."))
    return CohortOrganization.objects.create(
        cohort=cohort,
        organization=organization,
        commitment_signed_on=commitment_signed_on,
        added_by=by,
    )


@transaction.atomic
def add_enterprise_to_cohort(
    *, cohort: Cohort, enterprise: Enterprise, by: User
) -> CohortEnterprise:
    """A coordinator adds an EÉS without a call (e.g. a pilot's participants)."""
    _require_coordinator(by)
    if not enterprise.is_social_economy:
        raise ValidationError(_("Only a verified social-economy enterprise can join a cohort."))
    if CohortEnterprise.objects.filter(cohort=cohort, enterprise=enterprise).exists():
        raise ValidationError(_("This enterprise already takes part in the cohort."))
    return CohortEnterprise.objects.create(
        cohort=cohort,
        enterprise=enterprise,
        source=CohortEnterprise.Source.COORDINATOR,
        added_by=by,
    )


@transaction.atomic
def open_call(
    *,
    cohort: Cohort,
    opens_on: datetime.date,
    closes_on: datetime.date,
    description: str = "",
    criteria: list[CriterionSpec],
    by: User,
) -> Call:
    _require_coordinator(by)
    if not criteria:
        raise ValidationError(_("A call needs at least one selection criterion."))
    call = Call(
        cohort=cohort,
        opens_on=opens_on,
        closes_on=closes_on,
        description=description,
        is_open=True,
        created_by=by,
    )
    call.full_clean()
    call.save()
    for position, spec in enumerate(criteria):
        criterion = Criterion(
            call=call,
            label_fr=spec.label_fr.strip(),
            label_en=spec.label_en.strip(),
            weight=spec.weight,
            max_score=spec.max_score,
            position=position,
        )
        criterion.full_clean()
        criterion.save()
    return call


@transaction.atomic
def close_call(*, call: Call, by: User) -> Call:
    _require_coordinator(by)
    Call.objects.filter(pk=call.pk).update(is_open=False)
    call.is_open = False
    return call


@transaction.atomic
def apply_to_call(
    *, call: Call, enterprise: Enterprise, answers: dict[int, str], by: User
) -> Application:
    """A verified EÉS applies once, through an approved representative, while the call is open.

    `answers` maps each criterion id of the call to a short text; every criterion needs one.
    """
    if enterprise.pk not in roles_for(by).enterprise_ids:
        raise ValidationError(_("Only an approved representative of the enterprise may apply."))
    if not enterprise.is_social_economy:
        raise ValidationError(
            _(
                "Only a verified social-economy enterprise may apply. "
                "Ask a coordinator to verify it."
            )
        )
    today = timezone.localdate()
    if not call.is_open:
        raise ValidationError(_("This call for interest is closed."))
    if today < call.opens_on:
        raise ValidationError(
            _("This call opens on %(date)s.") % {"date": date_format(call.opens_on)}
        )
    if today > call.closes_on:
        raise ValidationError(
            _("This call closed on %(date)s.") % {"date": date_format(call.closes_on)}
        )
    if CohortEnterprise.objects.filter(cohort_id=call.cohort_id, enterprise=enterprise).exists():
        raise ValidationError(_("This enterprise already takes part in the cohort."))
    if Application.objects.filter(call=call, enterprise=enterprise).exists():
        raise ValidationError(_("This enterprise has already applied to this call."))

    criteria = list(call.criteria.all())
    cleaned = {criterion.pk: (answers.get(criterion.pk) or "").strip() for criterion in criteria}
    unknown = set(answers) - set(cleaned)
    if unknown:
        raise ValidationError(_("An answer refers to a criterion of another call."))
    missing = [c.label for c in criteria if not cleaned[c.pk]]
    if missing:
        raise ValidationError(
            _("Answer every criterion. Missing: %(criteria)s.") % {"criteria": "; ".join(missing)}
        )
    too_long = [c.label for c in criteria if len(cleaned[c.pk]) > 2000]
    if too_long:
        raise ValidationError(
            _("Keep each answer under 2,000 characters: %(criteria)s.")
            % {"criteria": "; ".join(too_long)}
        )
    try:
        # The savepoint keeps the outer transaction usable if a concurrent twin won the race.
        with transaction.atomic():
            application = Application.objects.create(
                call=call, enterprise=enterprise, submitted_by=by
            )
    except IntegrityError as error:
        raise ValidationError(_("This enterprise has already applied to this call.")) from error
    Answer.objects.bulk_create(
        Answer(application=application, criterion=c, text=cleaned[c.pk]) for c in criteria
    )
    queue_after_commit(tasks.notify_application_received, application.pk)
    return application


@transaction.atomic
def score_application(*, application: Application, scores: dict[int, int], by: User) -> list[Score]:
    """Record a coordinator's scores (criterion id -> 0..max_score); a new score replaces one."""
    _require_coordinator(by)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("This application has already been decided."))
    criteria = {c.pk: c for c in application.call.criteria.all()}
    if not scores:
        raise ValidationError(_("Give at least one score."))
    saved = []
    for criterion_id, value in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ValidationError(_("A score refers to a criterion of another call."))
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(_("A score must be a whole number."))
        if not 0 <= value <= criterion.max_score:
            raise ValidationError(
                _("The score for “%(criterion)s” must be between 0 and %(max)s.")
                % {"criterion": criterion.label, "max": criterion.max_score}
            )
        score, _created = Score.objects.update_or_create(
            application=application,
            criterion=criterion,
            defaults={"score": value, "scored_by": by},
        )
        saved.append(score)
    return saved


def weighted_total(application: Application) -> Decimal | None:
    """Σ weight × score / Σ weight × max_score over the call's criteria, as a share in 0..1."""
    criteria = list(application.call.criteria.all())
    scores = {s.criterion_id: s.score for s in application.scores.all()}
    if not scores:
        return None
    points = sum(c.weight * scores.get(c.pk, 0) for c in criteria)
    return Application.share_of(points, sum(c.weight * c.max_score for c in criteria))


def _decide(application: Application, status: str, reason: str, by: User) -> Application:
    _require_coordinator(by)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not locked.can_move_to(status):
        raise ValidationError(_("This application has already been decided."))
    locked.status = status
    locked.decision_reason = reason.strip()
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    queue_after_commit(tasks.notify_application_decision, locked.pk)
    return locked


@transaction.atomic
def keep_application(*, application: Application, reason: str = "", by: User) -> Application:
    """Keep an application once every criterion is scored; the EÉS joins the cohort."""
    _require_coordinator(by)
    criteria = set(application.call.criteria.values_list("pk", flat=True))
    scored = set(application.scores.values_list("criterion_id", flat=True))
    if criteria - scored:
        raise ValidationError(_("Score every criterion before keeping an application."))
    cohort_id = application.call.cohort_id
    if CohortEnterprise.objects.filter(
        cohort_id=cohort_id, enterprise_id=application.enterprise_id
    ).exists():
        raise ValidationError(_("This enterprise already takes part in the cohort."))
    kept = _decide(application, Application.Status.KEPT, reason, by)
    CohortEnterprise.objects.create(
        cohort_id=cohort_id,
        enterprise_id=kept.enterprise_id,
        source=CohortEnterprise.Source.APPLICATION,
        application=kept,
        added_by=by,
    )
    return kept


@transaction.atomic
def decline_application(*, application: Application, reason: str, by: User) -> Application:
    if not reason.strip():
        raise ValidationError({"reason": _("Declining an application needs a reason.")})
    return _decide(application, Application.Status.DECLINED, reason, by)


# --- Training ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizResult:
    correct: int
    total: int
    score: Decimal  # share of correct answers, 0..1
    passed: bool
    completion: TrainingCompletion | None


def organization_of(user: User) -> Organization | None:
    """The organization a completion counts for: the user's first membership, if any."""
    membership = (
        Membership.objects.filter(user=user, organization__is_active=True)
        .select_related("organization")
        .order_by("created_at", "id")
        .first()
    )
    return membership.organization if membership else None


@transaction.atomic
def complete_training_module(
    *, module: TrainingModule, user: User, answers: dict[int, int]
) -> QuizResult:
    """Grade a quiz (question id -> choice id); a pass records the completion, a fail may retry.

    A later pass keeps the first completion date and the best score.
    """
    if not getattr(user, "is_authenticated", False):
        raise ValidationError(_("Log in to record your training."))
    if not module.is_published:
        raise ValidationError(_("This module is not published."))
    questions = list(module.questions.prefetch_related("choices"))
    if not questions:
        raise ValidationError(_("This module has no questions yet."))
    unanswered = [q for q in questions if q.pk not in answers]
    if unanswered:
        raise ValidationError(_("Answer every question."))
    correct = 0
    for question in questions:
        choices = {choice.pk: choice for choice in question.choices.all()}
        choice = choices.get(answers[question.pk])
        if choice is None:
            raise ValidationError(_("An answer does not belong to its question."))
        correct += choice.is_correct
    score = (Decimal(correct) / Decimal(len(questions))).quantize(
        Decimal("0.001"), rounding=ROUND_HALF_UP
    )
    passed = score * 100 >= module.pass_percent
    completion = None
    if passed:
        completion, created = TrainingCompletion.objects.select_for_update().get_or_create(
            module=module,
            user=user,
            defaults={"score": score, "organization": organization_of(user)},
        )
        if not created and score > completion.score:
            completion.score = score
            completion.save(update_fields=["score"])
    return QuizResult(
        correct=correct, total=len(questions), score=score, passed=passed, completion=completion
    )
