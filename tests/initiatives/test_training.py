"""Online training: modules, quiz, completions, and the people-trained indicator."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Membership
from portal.initiatives import services
from portal.initiatives.models import TrainingCompletion, TrainingModule
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.initiatives.factories import (
    TrainingCompletionFactory,
    TrainingModuleFactory,
    answers_for,
    module_with_questions,
)

pytestmark = pytest.mark.django_db


def quiz_data(answers: dict[int, int]) -> dict[str, int]:
    return {f"question_{question}": choice for question, choice in answers.items()}


# --- The seeded modules ------------------------------------------------------------------------


def test_three_bilingual_modules_are_seeded_with_lessons_and_questions():
    modules = TrainingModule.objects.published().order_by("position")

    assert [m.slug for m in modules] == [
        "approvisionnement-responsable",
        "acheter-aupres-des-ees",
        "seuils-et-appels-sur-invitation",
    ]
    for module in modules:
        assert module.title_en
        assert module.summary_en
        assert 3 <= module.lessons.count() <= 4
        assert module.questions.count() == 3
        for question in module.questions.all():
            assert question.choices.filter(is_correct=True).count() == 1
            assert all(choice.text_en for choice in question.choices.all())


def test_the_seeded_threshold_module_teaches_the_dated_thresholds():
    module = TrainingModule.objects.get(slug="seuils-et-appels-sur-invitation")

    text = " ".join(lesson.body_fr for lesson in module.lessons.all())

    assert "121 200 $" in text
    assert "au moins deux fournisseurs" in text


# --- Taking a module ---------------------------------------------------------------------------


def test_passing_a_module_records_the_completion_for_the_users_organization(buyer, organization):
    module = module_with_questions(3)

    result = services.complete_training_module(
        module=module, user=buyer, answers=answers_for(module, correct=2)
    )

    assert result.passed
    assert (result.correct, result.total) == (2, 3)
    assert result.score == Decimal("0.667")
    completion = TrainingCompletion.objects.get()
    assert (completion.user, completion.organization) == (buyer, organization)


def test_failing_a_module_records_nothing_and_a_retry_is_allowed(buyer):
    module = module_with_questions(3)

    failed = services.complete_training_module(
        module=module, user=buyer, answers=answers_for(module, correct=1)
    )
    assert not failed.passed
    assert not TrainingCompletion.objects.exists()

    passed = services.complete_training_module(
        module=module, user=buyer, answers=answers_for(module, correct=3)
    )
    assert passed.passed
    assert TrainingCompletion.objects.get().score == Decimal("1.000")


def test_passing_again_keeps_the_first_date_and_the_best_score(buyer):
    module = module_with_questions(3)
    services.complete_training_module(module=module, user=buyer, answers=answers_for(module, 2))
    first = TrainingCompletion.objects.get()

    services.complete_training_module(module=module, user=buyer, answers=answers_for(module, 3))
    services.complete_training_module(module=module, user=buyer, answers=answers_for(module, 2))

    again = TrainingCompletion.objects.get()
    assert again.completed_at == first.completed_at
    assert again.score == Decimal("1.000")


def test_every_question_must_be_answered(buyer):
    module = module_with_questions(3)
    answers = answers_for(module, 3)
    answers.popitem()

    with pytest.raises(ValidationError, match="Répondez à chaque question"):
        services.complete_training_module(module=module, user=buyer, answers=answers)


def test_an_answer_from_another_question_is_refused(buyer):
    module = module_with_questions(2)
    first, second = module.questions.all()
    answers = {first.pk: second.choices.first().pk, second.pk: second.choices.first().pk}

    with pytest.raises(ValidationError, match="ne correspond pas"):
        services.complete_training_module(module=module, user=buyer, answers=answers)


def test_a_person_without_an_organization_may_train_but_counts_for_none(stranger):
    module = module_with_questions(1)

    services.complete_training_module(module=module, user=stranger, answers=answers_for(module, 1))

    assert TrainingCompletion.objects.get().organization is None
    assert TrainingCompletion.objects.people_trained() == 0


# --- The indicator -----------------------------------------------------------------------------


def test_people_trained_counts_distinct_people_per_scope_and_period():
    city, school = OrganizationFactory(), OrganizationFactory()
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    first, second = TrainingModuleFactory(), TrainingModuleFactory()
    at = lambda day: timezone.make_aware(datetime.datetime(2025, 3, day, 12))  # noqa: E731
    TrainingCompletionFactory(module=first, user=alice, organization=city, completed_at=at(1))
    TrainingCompletionFactory(module=second, user=alice, organization=city, completed_at=at(2))
    TrainingCompletionFactory(module=first, user=bob, organization=city, completed_at=at(20))
    TrainingCompletionFactory(module=first, user=carol, organization=school, completed_at=at(5))
    completions = TrainingCompletion.objects

    assert completions.people_trained() == 3
    assert completions.people_trained(organization_ids=[city.pk]) == 2
    assert completions.people_trained(organization_ids=[]) == 0
    assert (
        completions.people_trained(start=datetime.date(2025, 3, 2), end=datetime.date(2025, 3, 5))
        == 2
    )
    assert completions.people_trained_by_organization() == {city.pk: 2, school.pk: 1}
    assert completions.people_trained_by_organization(
        organization_ids=[city.pk], end=datetime.date(2025, 3, 10)
    ) == {city.pk: 1}


def test_a_completion_late_in_the_evening_counts_on_its_local_day():
    module = TrainingModuleFactory()
    # 23:30 in Montréal on March 31 is already April 1 in UTC.
    late = timezone.make_aware(datetime.datetime(2025, 3, 31, 23, 30))
    TrainingCompletionFactory(module=module, completed_at=late)

    march = TrainingCompletion.objects.people_trained(
        start=datetime.date(2025, 3, 1), end=datetime.date(2025, 3, 31)
    )

    assert march == 1


# --- Pages -------------------------------------------------------------------------------------


def test_a_visitor_reads_the_modules_in_french(client):
    response = client.get(reverse("initiatives:training"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Formation en ligne" in html
    assert "L&#x27;approvisionnement responsable" in html
    assert "4 leçons" in html


def test_the_modules_are_in_english_on_request(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    html = client.get(reverse("initiatives:training")).content.decode()

    assert "Responsible procurement" in html
    assert "Online training" in html


def test_the_training_page_costs_the_same_queries_for_many_modules(
    client, buyer, django_assert_num_queries
):
    client.force_login(buyer)
    client.get(reverse("initiatives:training"))
    with django_assert_num_queries(6):
        client.get(reverse("initiatives:training"))
    for _ in range(4):
        module_with_questions(2)
    with django_assert_num_queries(6):
        client.get(reverse("initiatives:training"))


def test_a_visitor_reads_the_lessons_and_is_asked_to_log_in_for_the_questions(client):
    module = TrainingModule.objects.get(slug="acheter-aupres-des-ees")

    response = client.get(module.get_absolute_url())

    html = response.content.decode()
    assert "Qu&#x27;est-ce qu&#x27;une EÉS?" in html
    assert "Connectez-vous pour répondre aux questions" in html
    assert '<form method="post" class="stacked-form quiz-form"' not in html


def test_a_visitor_posting_answers_is_sent_to_log_in(client):
    module = module_with_questions(1)

    response = client.post(module.get_absolute_url(), quiz_data(answers_for(module, 1)))

    assert response.status_code == 302
    assert reverse("accounts:login") in response.url
    assert not TrainingCompletion.objects.exists()


def test_a_buyer_passes_a_module_from_the_page(client, buyer):
    module = module_with_questions(3)
    client.force_login(buyer)

    response = client.post(module.get_absolute_url(), quiz_data(answers_for(module, 3)))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Réussi : 3 bonnes réponses sur 3" in html
    assert TrainingCompletion.objects.filter(user=buyer, module=module).exists()
    assert "Terminé" in client.get(reverse("initiatives:training")).content.decode()


def test_a_failed_quiz_shows_the_right_answers_and_invites_a_retry(client, buyer):
    module = module_with_questions(3)
    client.force_login(buyer)

    html = client.post(
        module.get_absolute_url(), quiz_data(answers_for(module, 0))
    ).content.decode()

    assert "Bonne réponse :" in html
    assert "Répondre de nouveau aux questions" in html
    assert not TrainingCompletion.objects.exists()


def test_an_incomplete_quiz_gets_a_french_error(client, buyer):
    module = module_with_questions(2)
    answers = answers_for(module, 2)
    answers.popitem()
    client.force_login(buyer)

    response = client.post(module.get_absolute_url(), quiz_data(answers))

    assert response.status_code == 400
    assert "Choisissez une réponse à cette question." in response.content.decode()


def test_a_forged_choice_gets_an_error_not_a_crash(client, buyer):
    module = module_with_questions(1)
    question = module.questions.get()
    client.force_login(buyer)

    response = client.post(module.get_absolute_url(), {f"question_{question.pk}": "999999"})

    assert response.status_code == 400
    assert not TrainingCompletion.objects.exists()


def test_an_unpublished_module_is_hidden_from_buyers_but_not_coordinators(
    client, buyer, coordinator
):
    draft = module_with_questions(1, is_published=False, title_fr="Module brouillon")

    client.force_login(buyer)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Module brouillon" not in client.get(reverse("initiatives:training")).content.decode()
    client.force_login(coordinator)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_completion_counts_for_the_organization_the_user_belonged_to_first(buyer):
    MembershipFactory(user=buyer, organization=OrganizationFactory(), role=Membership.Role.BUYER)
    module = module_with_questions(1)

    services.complete_training_module(module=module, user=buyer, answers=answers_for(module, 1))

    assert TrainingCompletion.objects.get().organization.name == "Ville de Longueuil"
