"""Factories of initiatives, cohorts, calls and training (shared ones in tests/factories.py)."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from portal.initiatives.models import (
    Application,
    Call,
    Choice,
    Cohort,
    CohortEnterprise,
    CohortOrganization,
    Criterion,
    Initiative,
    Lesson,
    Question,
    TrainingCompletion,
    TrainingModule,
)
from tests.factories import EnterpriseFactory, OrganizationFactory, UserFactory


class InitiativeFactory(DjangoModelFactory):
    class Meta:
        model = Initiative
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Initiative d'achat {n}")
    coordinating_body = "Pôle fictif d'économie sociale"


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort

    initiative = factory.SubFactory(InitiativeFactory)
    name = factory.Sequence(lambda n: f"Cohorte {n}")
    start = datetime.date(2025, 1, 1)
    end = datetime.date(2026, 12, 31)


class CohortOrganizationFactory(DjangoModelFactory):
    class Meta:
        model = CohortOrganization

    cohort = factory.SubFactory(CohortFactory)
    organization = factory.SubFactory(OrganizationFactory)
    commitment_signed_on = datetime.date(2025, 2, 1)


class CohortEnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = CohortEnterprise

    cohort = factory.SubFactory(CohortFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    source = CohortEnterprise.Source.COORDINATOR


class CallFactory(DjangoModelFactory):
    """A call open today, for thirty days."""

    class Meta:
        model = Call

    cohort = factory.SubFactory(CohortFactory)
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    description = "Appel d'intérêt fictif."


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    label_fr = factory.Sequence(lambda n: f"Critère {n}")
    label_en = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1
    max_score = 5
    position = factory.Sequence(lambda n: n)


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    submitted_by = factory.SubFactory(UserFactory)


class TrainingModuleFactory(DjangoModelFactory):
    class Meta:
        model = TrainingModule

    slug = factory.Sequence(lambda n: f"module-{n}")
    title_fr = factory.Sequence(lambda n: f"Module de test {n}")
    title_en = factory.Sequence(lambda n: f"Test module {n}")
    is_published = True


class LessonFactory(DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(TrainingModuleFactory)
    title_fr = factory.Sequence(lambda n: f"Leçon {n}")
    title_en = factory.Sequence(lambda n: f"Lesson {n}")
    body_fr = "Un texte court en français."
    body_en = "A short text in English."


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    module = factory.SubFactory(TrainingModuleFactory)
    text_fr = factory.Sequence(lambda n: f"Question {n}?")
    text_en = factory.Sequence(lambda n: f"Question {n} (en)?")
    position = factory.Sequence(lambda n: n)


class ChoiceFactory(DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    text_fr = factory.Sequence(lambda n: f"Réponse {n}")
    text_en = factory.Sequence(lambda n: f"Answer {n}")
    is_correct = False


def module_with_questions(count: int = 3, **kwargs) -> TrainingModule:
    """A published module with `count` questions of two choices each (first one correct)."""
    module = TrainingModuleFactory(**kwargs)
    LessonFactory(module=module)
    for _ in range(count):
        question = QuestionFactory(module=module)
        ChoiceFactory(question=question, is_correct=True)
        ChoiceFactory(question=question, is_correct=False)
    return module


def answers_for(module: TrainingModule, correct: int) -> dict[int, int]:
    """Answers to a module's questions, the first `correct` of them right."""
    answers = {}
    for index, question in enumerate(module.questions.order_by("position", "id")):
        choice = question.choices.get(is_correct=index < correct)
        answers[question.pk] = choice.pk
    return answers


class TrainingCompletionFactory(DjangoModelFactory):
    class Meta:
        model = TrainingCompletion

    module = factory.SubFactory(TrainingModuleFactory)
    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    score = "1.000"


def call_answers(call, text: str = "Nous voulons servir les institutions.") -> dict[int, str]:
    """A short answer to every criterion of a call."""
    return {criterion.pk: text for criterion in call.criteria.all()}
