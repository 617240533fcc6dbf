"""Factories for the procurement data layer's tests (shared ones are in tests/factories.py)."""

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from procurement.models import AnnualNeed, Threshold
from tests.factories import OrganizationFactory


class AnnualNeedFactory(DjangoModelFactory):
    class Meta:
        model = AnnualNeed

    organization = factory.SubFactory(OrganizationFactory)
    fiscal_year = 2025
    title = factory.Sequence(lambda n: f"Besoin annuel {n}")
    estimated_value = Decimal("40000.00")
    is_published = False


class ThresholdFactory(DjangoModelFactory):
    class Meta:
        model = Threshold
        django_get_or_create = ["kind", "effective_from"]

    kind = Threshold.Kind.PUBLIC_TENDER
    amount = Decimal("150000.00")
    effective_from = dt.date(2030, 1, 1)
    source = "Arrêté fictif pour les tests"
