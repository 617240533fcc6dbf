"""Schemathesis fuzzes every operation of /api/schema/ through the WSGI app: no 5xx, and each
response matches the schema (status code and body), for a coordinator, an officer and an
EÉS representative.

Each example runs in a savepoint that is rolled back, so every example starts from the same
seeded records; path ids point at those records, so updates and actions reach real rows.
Bounded and derandomized: a fixed number of examples per operation, the same on every run.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from portal.accounts.models import Membership
from tests.factories import (
    ActivityFactory,
    AwardFactory,
    BidFactory,
    BusinessContactFactory,
    CategoryFactory,
    EnterpriseFactory,
    InvitationFactory,
    MembershipFactory,
    MunicipalityFactory,
    ProcessFactory,
    RepresentativeFactory,
    SectorFactory,
    SupplierRegistrationFactory,
    UserFactory,
)
from tests.initiatives.factories import CohortFactory
from tests.procurement.factories_data import AnnualNeedFactory, ThresholdFactory

# Per operation and role: about 85 s of CPU in all (FUZZ_MAX_EXAMPLES=50 for a deeper run).
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "5"))

config = schemathesis.Config.from_dict(
    {
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler(), config=config)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture
def _same_connection_for_every_request():
    """Like Django's test client: the WSGI app must not close the test's connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db):
    """One record of each kind in the officer's organization, the representative's enterprise
    invited to its process; ids by the API path prefix."""
    organization_membership = MembershipFactory(
        role=Membership.Role.OFFICER, user__email="fuzz-officer@example.org"
    )
    organization = organization_membership.organization
    coordinator = UserFactory(email="fuzz-coord@example.org", is_coordinator=True)
    invitation = InvitationFactory(process__organization=organization)
    process = invitation.process
    bid = BidFactory(process=process, enterprise=invitation.enterprise)
    award = AwardFactory(process=process, enterprise=invitation.enterprise, bid=bid)
    ProcessFactory(organization=organization, status="draft")
    representative = RepresentativeFactory(enterprise=invitation.enterprise).user
    activity = ActivityFactory(created_by=organization_membership.user)
    activity.organizations.add(organization)
    ids = {
        "organizations": organization.pk,
        "enterprises": invitation.enterprise.pk,
        "processes": process.pk,
        "invitations": invitation.pk,
        "bids": bid.pk,
        "awards": award.pk,
        "business-contacts": BusinessContactFactory(organization=organization).pk,
        "annual-needs": AnnualNeedFactory(organization=organization).pk,
        "activities": activity.pk,
        "thresholds": ThresholdFactory().pk,
        "supplier-registrations": SupplierRegistrationFactory(organization=organization).pk,
        "cohorts": CohortFactory().pk,
        "categories": CategoryFactory().pk,
    }
    ids["initiatives"] = CohortFactory().initiative_id
    municipality = MunicipalityFactory()
    codes = {
        "municipalities": municipality.code,
        "regions": municipality.region.code,
        "sectors": SectorFactory().code,
    }
    EnterpriseFactory(status="pending", is_published=False)
    tokens = {
        "coordinator": Token.objects.create(user=coordinator).key,
        "officer": Token.objects.create(user=organization_membership.user).key,
        "representative": Token.objects.create(user=representative).key,
    }
    return {"ids": ids, "codes": codes, "tokens": tokens}


@pytest.fixture(params=["coordinator", "officer", "representative"])
def role(request):
    return request.param


def _point_at_seeded_records(case, seeded):
    resource = case.path.split("/")[2]
    if "id" in (case.path_parameters or {}) and resource in seeded["ids"]:
        case.path_parameters["id"] = seeded["ids"][resource]
    if "code" in (case.path_parameters or {}) and resource in seeded["codes"]:
        case.path_parameters["code"] = seeded["codes"][resource]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,  # nothing written to .hypothesis/: the run is the same every time
)
@pytest.mark.django_db
@pytest.mark.usefixtures("_same_connection_for_every_request")
def test_the_api_answers_every_generated_request_as_its_schema_says(case, seeded, role):
    _point_at_seeded_records(case, seeded)
    headers = {"Authorization": f"Token {seeded['tokens'][role]}"}
    savepoint = transaction.savepoint_create()
    try:
        case.call_and_validate(headers=headers, checks=CHECKS)
    finally:
        transaction.savepoint_rollback(savepoint)


# --- what the fuzzing found, kept as plain regression tests -------------------------------------
@pytest.mark.django_db
def test_a_token_request_with_a_huge_user_name_is_a_400_not_a_500(api_client):
    response = api_client.post("/api/token/", {"username": "a" * 300, "password": "x"})

    assert response.status_code == 400
    assert "username" in response.json()


@pytest.mark.django_db
def test_a_signed_commitment_without_a_signatory_is_a_400_not_a_500(api_client, coordinator):
    organization = MembershipFactory().organization
    api_client.force_authenticate(coordinator)

    response = api_client.patch(
        f"/api/organizations/{organization.pk}/",
        {"commitment_signed_on": "2025-02-01"},
        format="json",
    )

    assert response.status_code == 400
    assert "signataire" in response.json()["commitment_signatory"][0]
    organization.refresh_from_db()
    assert organization.commitment_signed_on is None


@pytest.mark.django_db
def test_an_enterprise_without_a_place_keeps_its_place_names_on_patch(api_client, coordinator):
    enterprise = EnterpriseFactory(region=None, municipality=None)
    api_client.force_authenticate(coordinator)

    response = api_client.patch(f"/api/enterprises/{enterprise.pk}/", {}, format="json")

    assert response.status_code == 200
    assert response.json()["region_name"] is None
    assert response.json()["municipality_name"] is None
