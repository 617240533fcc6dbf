"""Factories for the procurement pages' tests (the shared ones are in tests/factories.py)."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from procurement.models import AnnualNeed, Method, NeedsDigestSubscription, ToolkitEntry
from tests.factories import EnterpriseFactory, OrganizationFactory, UserFactory


class AnnualNeedFactory(DjangoModelFactory):
    """A published annual need."""

    class Meta:
        model = AnnualNeed

    organization = factory.SubFactory(OrganizationFactory)
    fiscal_year = 2026
    title = factory.Sequence(lambda n: f"Besoin annuel {n}")
    description = "Service récurrent pour nos immeubles."
    estimated_value = Decimal("40000.00")
    planned_quarter = 2
    planned_method = Method.INVITATION
    is_published = True
    published_at = factory.LazyFunction(timezone.now)


class ToolkitEntryFactory(DjangoModelFactory):
    class Meta:
        model = ToolkitEntry

    step = ToolkitEntry.Step.SOLICIT
    kind = ToolkitEntry.Kind.CLAUSE
    slug = factory.Sequence(lambda n: f"fiche-{n}")
    title_fr = factory.Sequence(lambda n: f"Fiche d'essai {n}")
    title_en = factory.Sequence(lambda n: f"Test entry {n}")
    body_fr = "Texte de la fiche."
    body_en = "Text of the entry."


class NeedsDigestSubscriptionFactory(DjangoModelFactory):
    class Meta:
        model = NeedsDigestSubscription

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def page_text(response) -> str:
    """The page's HTML with entities decoded, so assertions read like the page (d'affaires)."""
    import html

    return html.unescape(response.content.decode())
