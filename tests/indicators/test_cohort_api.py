"""`GET /api/indicators/?cohort=<id>`: who reads a cohort's indicators, and bad input."""

import datetime as dt

import pytest

from portal.accounts.models import Membership
from tests.factories import EnterpriseFactory, MembershipFactory, RepresentativeFactory
from tests.indicators.factories_engine import backdate
from tests.initiatives.factories import (
    CohortEnterpriseFactory,
    CohortFactory,
    CohortOrganizationFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/indicators/"


@pytest.fixture
def cohort(organization):
    """A cohort with `organization` (the officer's, buyer's and manager's) and one EÉS."""
    cohort = CohortFactory(
        name="Cohorte pilote", start=dt.date(2025, 2, 1), end=dt.date(2026, 1, 31)
    )
    CohortOrganizationFactory(cohort=cohort, organization=organization)
    enterprise = backdate(EnterpriseFactory(name="Coop pilote"), dt.date(2024, 1, 1))
    CohortEnterpriseFactory(cohort=cohort, enterprise=enterprise)
    return cohort


def get(client, user, **params):
    if user is not None:
        client.force_authenticate(user)
    return client.get(URL, params)


@pytest.mark.parametrize("member", ["coordinator", "officer", "buyer", "manager"])
def test_coordinators_and_the_staff_of_a_participating_organization_read_it(
    request, api_client, cohort, member
):
    response = get(api_client, request.getfixturevalue(member), cohort=cohort.pk)

    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == {"organization": None, "cohort": cohort.pk, "label": str(cohort)}
    assert (body["start"], body["end"]) == ("2025-02-01", "2026-01-31")
    ees = {item["code"]: item for item in body["indicators"]}["ees_published"]
    assert ees["value"] == 1


def test_another_organizations_staff_is_refused_in_french(api_client, cohort, outsider):
    response = get(api_client, outsider, cohort=cohort.pk)

    assert response.status_code == 403
    assert response.json()["detail"] == "Vous ne voyez pas les indicateurs de cette cohorte."


def test_a_user_without_a_role_is_refused(api_client, cohort, stranger):
    assert get(api_client, stranger, cohort=cohort.pk).status_code == 403


def test_a_representative_of_a_participating_ees_is_refused(api_client, cohort):
    participation = cohort.participating_enterprises.get()
    representative = RepresentativeFactory(enterprise=participation.enterprise).user

    assert get(api_client, representative, cohort=cohort.pk).status_code == 403


def test_a_visitor_is_asked_to_sign_in(api_client, cohort):
    assert get(api_client, None, cohort=cohort.pk).status_code in (401, 403)


def test_a_manager_of_an_organization_outside_the_cohort_is_refused(
    api_client, cohort, other_organization
):
    member = MembershipFactory(organization=other_organization, role=Membership.Role.MANAGER).user

    assert get(api_client, member, cohort=cohort.pk).status_code == 403


def test_other_dates_can_be_asked_for(api_client, cohort, coordinator):
    response = get(api_client, coordinator, cohort=cohort.pk, start="2025-03-01", end="2025-03-31")

    assert response.status_code == 200
    assert (response.json()["start"], response.json()["end"]) == ("2025-03-01", "2025-03-31")
    assert response.json()["source"] == "live"


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"cohort": 999999}, "cohort", "Aucune cohorte n'a cet identifiant."),
        ({"cohort": "abc"}, "cohort", "Un nombre entier valide est requis."),
        ({"start": "2026-06-01"}, "end", "La fin précède le début."),  # after the cohort
        ({"start": ""}, "start", "La date n'a pas le bon format."),
        (
            {"organization": "ORG"},
            "cohort",
            "Demandez une organisation ou une cohorte, pas les deux.",
        ),
    ],
)
def test_bad_input_gets_a_clear_400_in_french(
    api_client, coordinator, cohort, organization, params, field, message
):
    params = {"cohort": cohort.pk, **params}
    if params.get("organization") == "ORG":
        params["organization"] = organization.pk

    response = get(api_client, coordinator, **params)

    assert response.status_code == 400
    assert any(message in error for error in response.json()[field]), response.json()


def test_without_a_cohort_the_dates_stay_required(api_client, coordinator):
    response = get(api_client, coordinator)

    assert response.status_code == 400
    assert set(response.json()) == {"start", "end"}
