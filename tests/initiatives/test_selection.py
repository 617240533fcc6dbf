"""Calls for interest and selection: apply, score, keep or decline; nothing half-saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from directory.models import Enterprise
from portal.initiatives import services
from portal.initiatives.models import Answer, Application, Call, CohortEnterprise, Score
from tests.factories import EnterpriseFactory, RepresentativeFactory
from tests.initiatives.factories import ApplicationFactory, CohortFactory, call_answers

pytestmark = pytest.mark.django_db


def apply(call, enterprise, user, **overrides):
    return services.apply_to_call(
        call=call,
        enterprise=enterprise,
        answers=overrides.pop("answers", call_answers(call)),
        by=user,
        **overrides,
    )


def score_all(application, coordinator, values=(5, 4, 3)):
    criteria = list(application.call.criteria.all())
    return services.score_application(
        application=application,
        scores={c.pk: v for c, v in zip(criteria, values, strict=True)},
        by=coordinator,
    )


# --- Opening a call ---------------------------------------------------------------------------


def test_a_coordinator_opens_a_call_with_weighted_criteria(coordinator):
    cohort = CohortFactory()
    today = timezone.localdate()

    call = services.open_call(
        cohort=cohort,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
        criteria=[
            services.CriterionSpec("Volonté", "Will", weight=3),
            services.CriterionSpec("Capacité", "Capacity", weight=2, max_score=10),
        ],
        by=coordinator,
    )

    assert call.accepts_applications
    assert [(c.label_fr, c.weight, c.max_score) for c in call.criteria.all()] == [
        ("Volonté", 3, 5),
        ("Capacité", 2, 10),
    ]
    assert call.max_points() == 3 * 5 + 2 * 10


def test_a_call_closing_before_it_opens_is_refused_and_nothing_is_saved(coordinator):
    cohort = CohortFactory()
    today = timezone.localdate()

    with pytest.raises(ValidationError, match="La date de clôture doit être égale ou postérieure"):
        services.open_call(
            cohort=cohort,
            opens_on=today,
            closes_on=today - datetime.timedelta(days=1),
            criteria=[services.CriterionSpec("Volonté")],
            by=coordinator,
        )

    assert not Call.objects.exists()


def test_a_criterion_with_a_zero_scale_rolls_the_whole_call_back(coordinator):
    cohort = CohortFactory()
    today = timezone.localdate()

    with pytest.raises(ValidationError):
        services.open_call(
            cohort=cohort,
            opens_on=today,
            closes_on=today,
            criteria=[
                services.CriterionSpec("Bon"),
                services.CriterionSpec("Mauvais", max_score=0),
            ],
            by=coordinator,
        )

    assert not Call.objects.exists()


def test_only_a_coordinator_opens_a_call(officer):
    with pytest.raises(ValidationError):
        services.open_call(
            cohort=CohortFactory(),
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
            criteria=[services.CriterionSpec("Volonté")],
            by=officer,
        )


# --- Applying ---------------------------------------------------------------------------------


def test_a_verified_ees_applies_once_with_an_answer_per_criterion(
    call, enterprise, representative, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(call, enterprise, representative)

    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_by == representative
    assert Answer.objects.filter(application=application).count() == 3
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["rep@coop.example"]
    assert "Coopérative Traiteur Solidaire" in mailoutbox[0].body
    assert "Candidature reçue" in mailoutbox[0].subject


def test_an_ees_applying_twice_is_refused(call, enterprise, representative):
    apply(call, enterprise, representative)

    with pytest.raises(ValidationError, match="a déjà postulé"):
        apply(call, enterprise, representative)

    assert Application.objects.count() == 1
    assert Answer.objects.count() == 3


def test_an_application_before_the_call_opens_is_refused(call, enterprise, representative):
    Call.objects.filter(pk=call.pk).update(
        opens_on=timezone.localdate() + datetime.timedelta(days=2)
    )
    call.refresh_from_db()

    with pytest.raises(ValidationError, match="Cet appel ouvre le"):
        apply(call, enterprise, representative)

    assert not Application.objects.exists()


def test_an_application_after_the_call_closed_is_refused(call, enterprise, representative):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Call.objects.filter(pk=call.pk).update(opens_on=yesterday, closes_on=yesterday)
    call.refresh_from_db()

    with pytest.raises(ValidationError, match="a pris fin le"):
        apply(call, enterprise, representative)

    assert not Application.objects.exists()


def test_an_application_to_a_call_closed_early_is_refused(
    call, enterprise, representative, coordinator
):
    services.close_call(call=call, by=coordinator)

    with pytest.raises(ValidationError, match="est fermé"):
        apply(call, enterprise, representative)


def test_an_unverified_enterprise_cannot_apply(call):
    pending = EnterpriseFactory(status=Enterprise.Status.PENDING, is_published=False)
    user = RepresentativeFactory(enterprise=pending).user

    with pytest.raises(ValidationError, match="vérifiée"):
        apply(call, pending, user)


def test_someone_who_does_not_represent_the_enterprise_cannot_apply(call, enterprise, outsider):
    with pytest.raises(ValidationError, match="représentante"):
        apply(call, enterprise, outsider)


def test_a_representative_awaiting_approval_cannot_apply(call, enterprise):
    user = RepresentativeFactory(enterprise=enterprise, is_approved=False).user

    with pytest.raises(ValidationError, match="représentante"):
        apply(call, enterprise, user)


def test_an_application_missing_an_answer_is_refused_and_nothing_is_saved(
    call, enterprise, representative
):
    partial = call_answers(call)
    partial[call.criteria.first().pk] = "   "

    with pytest.raises(ValidationError, match="Répondez à chaque critère"):
        apply(call, enterprise, representative, answers=partial)

    assert not Application.objects.exists()
    assert not Answer.objects.exists()


def test_an_enterprise_already_in_the_cohort_cannot_apply(
    call, enterprise, representative, coordinator
):
    services.add_enterprise_to_cohort(cohort=call.cohort, enterprise=enterprise, by=coordinator)

    with pytest.raises(ValidationError, match="participe déjà"):
        apply(call, enterprise, representative)


# --- Scoring and deciding ---------------------------------------------------------------------


def test_the_weighted_total_weighs_each_score_by_its_criterion(
    call, enterprise, representative, coordinator
):
    application = apply(call, enterprise, representative)

    score_all(application, coordinator, values=(5, 4, 3))

    # (3×5 + 2×4 + 2×3) / (3×5 + 2×5 + 2×5) = 29 / 35
    assert services.weighted_total(application) == Decimal(29) / Decimal(35)
    annotated = Application.objects.with_points().get(pk=application.pk)
    assert annotated.points == 29
    assert annotated.scored_criteria == 3


def test_there_is_no_total_before_any_score(call, enterprise, representative):
    application = apply(call, enterprise, representative)

    assert services.weighted_total(application) is None


def test_a_score_outside_the_scale_is_refused_and_no_score_is_saved(
    call, enterprise, representative, coordinator
):
    application = apply(call, enterprise, representative)
    first, second, _third = call.criteria.all()

    with pytest.raises(ValidationError, match="entre 0 et 5"):
        services.score_application(
            application=application, scores={first.pk: 4, second.pk: 6}, by=coordinator
        )

    assert not Score.objects.exists()


def test_a_negative_score_is_refused(call, enterprise, representative, coordinator):
    application = apply(call, enterprise, representative)

    with pytest.raises(ValidationError, match="entre 0 et 5"):
        services.score_application(
            application=application, scores={call.criteria.first().pk: -1}, by=coordinator
        )


def test_a_new_score_replaces_the_previous_one(call, enterprise, representative, coordinator):
    application = apply(call, enterprise, representative)
    criterion = call.criteria.first()

    services.score_application(application=application, scores={criterion.pk: 2}, by=coordinator)
    services.score_application(application=application, scores={criterion.pk: 4}, by=coordinator)

    assert list(Score.objects.values_list("score", flat=True)) == [4]


def test_only_a_coordinator_scores(call, enterprise, representative):
    application = apply(call, enterprise, representative)

    with pytest.raises(ValidationError):
        services.score_application(
            application=application, scores={call.criteria.first().pk: 3}, by=representative
        )


def test_keeping_an_application_enrols_the_ees_and_notifies_it(
    call, enterprise, representative, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    application = apply(call, enterprise, representative)
    score_all(application, coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        kept = services.keep_application(application=application, reason="", by=coordinator)

    assert kept.status == Application.Status.KEPT
    assert kept.decided_by == coordinator
    participation = CohortEnterprise.objects.get(cohort=call.cohort, enterprise=enterprise)
    assert participation.source == CohortEnterprise.Source.APPLICATION
    assert participation.application == kept
    assert call.cohort.enterprise_ids() == [enterprise.pk]
    assert "retenue" in mailoutbox[-1].subject
    assert mailoutbox[-1].to == ["rep@coop.example"]


def test_an_application_is_kept_only_once_every_criterion_is_scored(
    call, enterprise, representative, coordinator
):
    application = apply(call, enterprise, representative)
    services.score_application(
        application=application, scores={call.criteria.first().pk: 5}, by=coordinator
    )

    with pytest.raises(ValidationError, match="Notez chaque critère"):
        services.keep_application(application=application, by=coordinator)

    assert not CohortEnterprise.objects.exists()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_declining_needs_a_reason(call, enterprise, representative, coordinator):
    application = apply(call, enterprise, representative)

    with pytest.raises(ValidationError, match="exige un motif"):
        services.decline_application(application=application, reason="  ", by=coordinator)

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_declined_applicant_receives_the_reason(
    call, enterprise, representative, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    application = apply(call, enterprise, representative)

    with django_capture_on_commit_callbacks(execute=True):
        services.decline_application(
            application=application, reason="Offre hors des besoins exprimés.", by=coordinator
        )

    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED
    assert not CohortEnterprise.objects.exists()
    assert "Offre hors des besoins exprimés." in mailoutbox[-1].body
    assert "n'a pas été retenue" in mailoutbox[-1].body


def test_a_decided_application_cannot_be_decided_again(
    call, enterprise, representative, coordinator
):
    application = apply(call, enterprise, representative)
    services.decline_application(application=application, reason="Hors champ.", by=coordinator)

    with pytest.raises(ValidationError, match="Une décision a déjà été prise"):
        services.decline_application(application=application, reason="Encore.", by=coordinator)


def test_a_decided_application_cannot_be_rescored(call, enterprise, representative, coordinator):
    application = apply(call, enterprise, representative)
    services.decline_application(application=application, reason="Hors champ.", by=coordinator)

    with pytest.raises(ValidationError, match="Une décision a déjà été prise"):
        score_all(application, coordinator)


def test_decisions_are_kept_in_the_history(call, enterprise, representative, coordinator):
    application = apply(call, enterprise, representative)
    services.decline_application(application=application, reason="Hors champ.", by=coordinator)

    statuses = list(application.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["submitted", "declined"]


def test_the_call_counts_applications_and_kept_ones(call, coordinator):
    kept = ApplicationFactory(call=call)
    ApplicationFactory(call=call)
    ApplicationFactory(call=call)
    score_all(kept, coordinator)
    services.keep_application(application=kept, by=coordinator)

    counted = Call.objects.with_counts().get(pk=call.pk)

    assert (counted.application_count, counted.kept_count) == (3, 1)
