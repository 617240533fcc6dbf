"""Actors for every test: an organization's staff, a colleague, an outsider, a coordinator."""

import pytest
from django.conf import settings

from portal.accounts.models import Membership
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and not settings.IS_POSTGRES:
            item.add_marker(skip_pg)


# Rows that migrations seed and that pages expect (dated thresholds, the toolkit, training).
SEEDING_MIGRATIONS = [
    "procurement.migrations.0002_seed_thresholds",
    "procurement.migrations.0003_seed_toolkit",
    "portal.initiatives.migrations.0002_seed_training_modules",
]


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by emptying every table, seeded rows included: seed them
    again, so that the tests after it (in any order, on any xdist worker) find them."""
    yield
    # After the last test the test database is already destroyed: nothing to seed.
    if nextitem is None or not _is_transactional(item):
        return
    import importlib

    from django.apps import apps
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for module in SEEDING_MIGRATIONS:
            importlib.import_module(module).seed(apps, None)


@pytest.fixture(autouse=True)
def _french_by_default(settings):
    settings.LANGUAGE_CODE = "fr-ca"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits, debounce locks and cached values never leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Ville de Longueuil")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Ville de Trois-Rivières")


@pytest.fixture
def officer(organization):
    """The owner: a procurement officer of `organization`."""
    return MembershipFactory(
        organization=organization, role=Membership.Role.OFFICER, user__email="alice@example.org"
    ).user


@pytest.fixture
def buyer(organization):
    """A colleague of the officer who only reads."""
    return MembershipFactory(
        organization=organization, role=Membership.Role.BUYER, user__email="bob@example.org"
    ).user


@pytest.fixture
def manager(organization):
    return MembershipFactory(
        organization=organization, role=Membership.Role.MANAGER, user__email="maude@example.org"
    ).user


@pytest.fixture
def outsider(other_organization):
    """An officer of another organization: must see nothing of `organization`."""
    return MembershipFactory(
        organization=other_organization,
        role=Membership.Role.OFFICER,
        user__email="charlie@example.org",
    ).user


@pytest.fixture
def coordinator(db):
    return UserFactory(email="coord@example.org", is_coordinator=True)


@pytest.fixture
def stranger(db):
    """A signed-in user with no role anywhere."""
    return UserFactory(email="stranger@example.org")


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
