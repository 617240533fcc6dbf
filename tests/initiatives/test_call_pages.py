"""Pages of a call: public counts, the application form, the coordinator's review and decision."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.initiatives import services
from portal.initiatives.models import Application, Call, CohortEnterprise, Criterion, Score
from tests.factories import RepresentativeFactory
from tests.initiatives.factories import ApplicationFactory, CohortFactory, call_answers

pytestmark = pytest.mark.django_db


def application_data(call, enterprise, text="Nous livrons déjà trois écoles."):
    data = {"enterprise": enterprise.pk}
    data.update({f"criterion_{pk}": text for pk in call_answers(call)})
    return data


def score_data(call, values):
    return {f"score_{c.pk}": v for c, v in zip(call.criteria.all(), values, strict=True)}


# --- Opening a call ---------------------------------------------------------------------------


def test_the_call_form_offers_the_three_criteria_of_the_seeds(client, coordinator):
    cohort = CohortFactory()
    client.force_login(coordinator)

    html = client.get(reverse("initiatives:call-create", args=[cohort.pk])).content.decode()

    assert "Ouvrir un appel d'intérêt" in html
    assert "Volonté de développer les marchés institutionnels" in html
    assert "Capacité à répondre aux besoins" in html


def test_a_coordinator_opens_a_call_from_the_cohort(client, coordinator):
    cohort = CohortFactory()
    today = timezone.localdate()
    client.force_login(coordinator)
    data = {
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=20)).isoformat(),
        "description": "Appel pour la deuxième cohorte.",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "10",
        "criteria-0-label_fr": "Volonté",
        "criteria-0-label_en": "Will",
        "criteria-0-weight": "3",
        "criteria-0-max_score": "5",
        "criteria-1-label_fr": "",
        "criteria-1-label_en": "",
        "criteria-1-weight": "1",
        "criteria-1-max_score": "5",
    }

    response = client.post(reverse("initiatives:call-create", args=[cohort.pk]), data)

    call = Call.objects.get()
    assert response.status_code == 302
    assert response.url == call.get_absolute_url()
    assert list(call.criteria.values_list("label_fr", "weight")) == [("Volonté", 3)]


def test_the_call_form_refuses_inverted_dates_and_saves_nothing(client, coordinator):
    cohort = CohortFactory()
    client.force_login(coordinator)
    data = {
        "opens_on": "2026-05-10",
        "closes_on": "2026-05-01",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "10",
        "criteria-0-label_fr": "Volonté",
        "criteria-0-weight": "3",
        "criteria-0-max_score": "5",
    }

    response = client.post(reverse("initiatives:call-create", args=[cohort.pk]), data)

    assert response.status_code == 400
    assert "La date de clôture doit être égale ou postérieure à la date d&#x27;ouverture." in (
        response.content.decode()
    )
    assert not Call.objects.exists()
    assert not Criterion.objects.exists()


def test_an_outsider_cannot_open_a_call(client, outsider):
    cohort = CohortFactory()
    client.force_login(outsider)

    response = client.get(reverse("initiatives:call-create", args=[cohort.pk]))

    assert response.status_code == 403


# --- The public page and applying ----------------------------------------------------------


def test_the_call_page_shows_how_many_applied_and_were_kept(client, call, coordinator):
    kept = ApplicationFactory(call=call)
    ApplicationFactory(call=call)
    services.score_application(
        application=kept, scores={c.pk: 4 for c in call.criteria.all()}, by=coordinator
    )
    services.keep_application(application=kept, by=coordinator)

    response = client.get(call.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "2</span> entreprises ont postulé" in html
    assert "1</span> entreprise retenue" in html
    assert "Volonté de développer les marchés" in html


def test_a_representative_applies_from_the_call_page(
    client, call, enterprise, representative, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(representative)
    assert "Postuler à cet appel" in client.get(call.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("initiatives:call-apply", args=[call.pk]), application_data(call, enterprise)
        )

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.enterprise == enterprise
    assert application.answers.first().text == "Nous livrons déjà trois écoles."
    assert len(mailoutbox) == 1


def test_an_application_with_an_empty_answer_gets_a_french_error(
    client, call, enterprise, representative
):
    client.force_login(representative)

    response = client.post(
        reverse("initiatives:call-apply", args=[call.pk]),
        application_data(call, enterprise, text=""),
    )

    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not Application.objects.exists()


def test_applying_twice_from_the_page_is_refused(client, call, enterprise, representative):
    client.force_login(representative)
    url = reverse("initiatives:call-apply", args=[call.pk])
    client.post(url, application_data(call, enterprise))

    response = client.post(url, application_data(call, enterprise), follow=True)

    assert Application.objects.count() == 1
    assert "Aucune de vos entreprises ne peut postuler à cet appel." in response.content.decode()


def test_applying_outside_the_dates_gets_a_french_explanation(
    client, call, enterprise, representative
):
    Call.objects.filter(pk=call.pk).update(
        opens_on=timezone.localdate() + datetime.timedelta(days=3),
        closes_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    client.force_login(representative)

    response = client.post(
        reverse("initiatives:call-apply", args=[call.pk]), application_data(call, enterprise)
    )

    assert response.status_code == 400
    assert "Cet appel ouvre le" in response.content.decode()
    assert not Application.objects.exists()


def test_someone_who_represents_no_enterprise_cannot_apply(client, call, outsider):
    client.force_login(outsider)

    response = client.get(reverse("initiatives:call-apply", args=[call.pk]))

    assert response.status_code == 403


def test_a_representative_cannot_apply_for_an_enterprise_they_do_not_represent(
    client, call, representative, other_enterprise
):
    client.force_login(representative)

    response = client.post(
        reverse("initiatives:call-apply", args=[call.pk]),
        application_data(call, other_enterprise),
    )

    assert response.status_code == 400
    assert not Application.objects.exists()


# --- Review, scoring and decision ------------------------------------------------------------


def test_the_review_page_lists_applications_with_their_weighted_score(
    client, call, coordinator, enterprise
):
    application = ApplicationFactory(call=call, enterprise=enterprise)
    services.score_application(
        application=application,
        scores={c.pk: v for c, v in zip(call.criteria.all(), (5, 4, 3), strict=True)},
        by=coordinator,
    )
    client.force_login(coordinator)

    html = client.get(reverse("initiatives:call-review", args=[call.pk])).content.decode()

    assert "Coopérative Traiteur Solidaire" in html
    assert "82,9\xa0%" in html  # 29 / 35
    assert "3 / 3" in html


def test_the_review_page_costs_the_same_queries_for_many_applications(
    client, call, coordinator, django_assert_num_queries
):
    client.force_login(coordinator)
    ApplicationFactory(call=call)
    client.get(reverse("initiatives:call-review", args=[call.pk]))  # warm the session

    with django_assert_num_queries(7):
        client.get(reverse("initiatives:call-review", args=[call.pk]))
    for _ in range(8):
        ApplicationFactory(call=call)
    with django_assert_num_queries(7):
        client.get(reverse("initiatives:call-review", args=[call.pk]))


def test_an_outsider_cannot_review_or_score_applications(client, call, outsider, enterprise):
    application = ApplicationFactory(call=call, enterprise=enterprise)
    client.force_login(outsider)

    review = client.get(reverse("initiatives:call-review", args=[call.pk]))
    detail = client.get(application.get_absolute_url())
    score = client.post(
        reverse("initiatives:application-score", args=[application.pk]), score_data(call, (5, 5, 5))
    )

    assert review.status_code == 403
    assert detail.status_code == 404
    assert score.status_code == 403
    assert not Score.objects.exists()


def test_a_representative_reads_their_application_but_cannot_score_it(
    client, call, enterprise, representative
):
    application = ApplicationFactory(call=call, enterprise=enterprise)
    client.force_login(representative)

    detail = client.get(application.get_absolute_url())
    score = client.post(
        reverse("initiatives:application-score", args=[application.pk]), score_data(call, (5, 5, 5))
    )

    assert detail.status_code == 200
    assert "Enregistrer les notes" not in detail.content.decode()
    assert score.status_code == 403


def test_a_coordinator_scores_from_the_page_and_a_score_above_the_scale_is_refused(
    client, call, coordinator
):
    application = ApplicationFactory(call=call)
    client.force_login(coordinator)
    url = reverse("initiatives:application-score", args=[application.pk])

    refused = client.post(url, score_data(call, (5, 9, 3)))
    accepted = client.post(url, score_data(call, (5, 4, 3)))

    assert refused.status_code == 400
    assert "inférieure ou égale à 5" in refused.content.decode()
    assert accepted.status_code == 302
    assert sorted(Score.objects.values_list("score", flat=True)) == [3, 4, 5]


def test_a_coordinator_keeps_an_application_and_the_ees_joins_the_cohort(
    client, call, coordinator, enterprise
):
    application = ApplicationFactory(call=call, enterprise=enterprise)
    client.force_login(coordinator)
    client.post(
        reverse("initiatives:application-score", args=[application.pk]), score_data(call, (5, 4, 3))
    )

    response = client.post(
        reverse("initiatives:application-decide", args=[application.pk]),
        {"decision": "keep", "reason": "Offre complémentaire."},
    )

    assert response.status_code == 302
    assert CohortEnterprise.objects.get().enterprise == enterprise
    html = client.get(call.cohort.get_absolute_url()).content.decode()
    assert "Coopérative Traiteur Solidaire" in html


def test_declining_without_a_reason_is_refused_with_a_french_message(client, call, coordinator):
    application = ApplicationFactory(call=call)
    client.force_login(coordinator)

    response = client.post(
        reverse("initiatives:application-decide", args=[application.pk]), {"decision": "decline"}
    )

    assert response.status_code == 400
    assert "Refuser une candidature exige un motif." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_keeping_before_scoring_is_refused_on_the_page(client, call, coordinator):
    application = ApplicationFactory(call=call)
    client.force_login(coordinator)

    response = client.post(
        reverse("initiatives:application-decide", args=[application.pk]), {"decision": "keep"}
    )

    assert response.status_code == 400
    assert "Notez chaque critère avant de retenir une candidature." in response.content.decode()


def test_a_coordinator_closes_a_call(client, call, coordinator, enterprise):
    RepresentativeFactory(enterprise=enterprise)
    client.force_login(coordinator)

    client.post(reverse("initiatives:call-close", args=[call.pk]))

    call.refresh_from_db()
    assert not call.is_open
    assert "Fermé" in client.get(call.get_absolute_url()).content.decode()


def test_an_outsider_cannot_close_a_call(client, call, outsider):
    client.force_login(outsider)

    response = client.post(reverse("initiatives:call-close", args=[call.pk]))

    assert response.status_code == 403
    call.refresh_from_db()
    assert call.is_open


def test_answers_are_kept_as_written(call, enterprise, representative):
    application = services.apply_to_call(
        call=call,
        enterprise=enterprise,
        answers=call_answers(call, "  <b>Texte</b>  "),
        by=representative,
    )

    assert application.answers.first().text == "<b>Texte</b>"


def test_a_coordinator_removes_one_of_the_proposed_criteria(client, coordinator):
    cohort = CohortFactory()
    client.force_login(coordinator)
    today = timezone.localdate().isoformat()
    data = {
        "opens_on": today,
        "closes_on": today,
        "criteria-TOTAL_FORMS": "3",
        "criteria-INITIAL_FORMS": "2",
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "10",
        "criteria-0-label_fr": "Volonté",
        "criteria-0-weight": "3",
        "criteria-0-max_score": "5",
        "criteria-1-label_fr": "Capacité",
        "criteria-1-weight": "2",
        "criteria-1-max_score": "5",
        "criteria-1-DELETE": "on",
        "criteria-2-weight": "1",
        "criteria-2-max_score": "5",
    }

    response = client.post(reverse("initiatives:call-create", args=[cohort.pk]), data)

    assert response.status_code == 302
    assert list(Criterion.objects.values_list("label_fr", flat=True)) == ["Volonté"]


@pytest.mark.parametrize(
    ("name", "method", "target"),
    [
        ("initiatives:initiative-create", "post", None),
        ("initiatives:cohort-create", "post", "slug"),
        ("initiatives:call-create", "post", "cohort"),
        ("initiatives:call-close", "post", "call"),
        ("initiatives:call-review", "get", "call"),
        ("initiatives:application-score", "post", "application"),
        ("initiatives:application-decide", "post", "application"),
    ],
)
def test_every_coordinator_page_refuses_an_outsider(client, outsider, call, name, method, target):
    application = ApplicationFactory(call=call)
    args = {
        None: [],
        "slug": [call.cohort.initiative.slug],
        "cohort": [call.cohort.pk],
        "call": [call.pk],
        "application": [application.pk],
    }[target]
    client.force_login(outsider)

    response = getattr(client, method)(reverse(name, args=args), {"decision": "keep"})

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
