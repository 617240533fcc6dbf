"""The demo directory: a living, clearly fictional directory, loaded as often as wanted."""

import pytest
from django.core.management import call_command
from django.http import QueryDict

from directory.filters import EnterpriseFilterSet
from directory.models import Enterprise, SupplierRegistration
from directory.search import stale_facet_keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch):
    # The portal's demo actors and the directory's part only: the other apps' parts are theirs.
    monkeypatch.setattr("portal.demo.APP_DEMO_MODULES", ["directory.demo"])
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)


def test_the_demo_directory_is_fictional_and_covers_every_region(demo):
    demo_enterprises = Enterprise.objects.filter(neq__startswith="99")

    assert demo_enterprises.count() == 60
    assert all("fictive" in e.description for e in demo_enterprises)
    assert all("fictif" in e.name.lower() or "fictive" in e.name.lower() for e in demo_enterprises)
    assert demo_enterprises.published().values("region").distinct().count() == 17
    assert demo_enterprises.filter(status=Enterprise.Status.PENDING).count() == 3


def test_the_demo_directory_is_rich_enough_to_search(demo):
    published = Enterprise.objects.published().filter(neq__startswith="99")

    assert published.values("offerings__category").distinct().count() >= 40
    assert published.filter(contacts__isnull=False).distinct().count() == published.count()
    assert published.filter(impacts__isnull=False).distinct().count() == published.count()
    assert published.filter(achievements__isnull=False).exists()
    assert all(e.search_document for e in published)
    assert stale_facet_keys() == []  # on PostgreSQL; nothing to compare on SQLite


def test_a_visitor_finds_caterers_in_monteregie(demo):
    results = EnterpriseFilterSet(QueryDict("q=traiteur&region=16")).qs

    assert results.count() >= 3
    assert "Traiteur fictif La Cigale gourmande" in [e.name for e in results]


def test_some_demo_enterprises_are_in_the_demo_organizations_supplier_files(demo):
    registrations = SupplierRegistration.objects.filter(enterprise__neq__startswith="99")

    assert registrations.values("organization").distinct().count() == 3
    assert registrations.count() >= 10


def test_loading_the_demo_again_changes_nothing(demo):
    before = (
        Enterprise.objects.count(),
        SupplierRegistration.objects.count(),
        sorted(Enterprise.objects.values_list("slug", flat=True)),
    )

    call_command("load_demo_data", verbosity=0)

    after = (
        Enterprise.objects.count(),
        SupplierRegistration.objects.count(),
        sorted(Enterprise.objects.values_list("slug", flat=True)),
    )
    assert after == before
