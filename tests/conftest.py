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
