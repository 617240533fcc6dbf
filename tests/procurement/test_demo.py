"""The procurement demo: records through the services, idempotent, EÉS only when they exist."""

import pytest
from django.core.management import call_command

import portal.demo
from procurement.models import (
    Activity,
    AnnualNeed,
    Award,
    BusinessContact,
    Invitation,
    Method,
    ProcurementProcess,
)
from tests.factories import EnterpriseFactory, OfferingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_procurement_demo(monkeypatch):
    call_command("load_reference_data")
    monkeypatch.setattr(portal.demo, "APP_DEMO_MODULES", ["procurement.demo"])


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (AnnualNeed, ProcurementProcess, Invitation, Award, Activity, BusinessContact)
    }


def test_the_demo_records_every_method_with_awards_to_the_directorys_ees(only_procurement_demo):
    enterprises = [EnterpriseFactory(name=f"Coop fictive {n}") for n in range(6)]
    for enterprise in enterprises:
        OfferingFactory(enterprise=enterprise)

    portal.demo.load_demo_data()

    methods = set(ProcurementProcess.objects.values_list("method", flat=True))
    assert methods == {Method.OPEN, Method.INVITATION, Method.DIRECT}
    assert Award.objects.active().to_social_economy().count() >= 5
    assert Invitation.objects.count() >= 8
    assert AnnualNeed.objects.published().count() == 7
    assert Activity.objects.filter(kind=Activity.Kind.MATCHMAKING).exists()
    awarded_after_matchmaking = Award.objects.with_relationship_flags().filter(
        follows_matchmaking=True
    )
    assert awarded_after_matchmaking.exists()


def test_loading_the_demo_twice_adds_nothing(only_procurement_demo):
    for n in range(6):
        EnterpriseFactory(name=f"Coop fictive {n}")
    portal.demo.load_demo_data()
    first = counts()

    portal.demo.load_demo_data()

    assert counts() == first


def test_without_ees_in_the_directory_the_demo_creates_none(only_procurement_demo):
    portal.demo.load_demo_data()

    assert not Award.objects.to_social_economy().exists()
    assert not Invitation.objects.exists()
    assert ProcurementProcess.objects.filter(method=Method.OPEN).exists()
    assert AnnualNeed.objects.published().exists()
