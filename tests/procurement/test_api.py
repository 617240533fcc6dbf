"""The procurement API: visibility, who writes, clear 400s in French, filters, query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token

from procurement.models import Award, Bid, Invitation, Method, ProcurementProcess
from tests.factories import (
    ActivityFactory,
    AwardFactory,
    BidFactory,
    BusinessContactFactory,
    EnterpriseFactory,
    InvitationFactory,
    ProcessFactory,
    RepresentativeFactory,
)
from tests.procurement.factories_data import AnnualNeedFactory

pytestmark = pytest.mark.django_db

Status = ProcurementProcess.Status


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def records(organization, other_organization):
    """One of each record in `organization`, and one award in `other_organization`."""
    invitation = InvitationFactory(process__organization=organization)
    process = invitation.process
    bid = BidFactory(process=process, enterprise=invitation.enterprise)
    award = AwardFactory(process=process, enterprise=invitation.enterprise, bid=bid)
    contact = BusinessContactFactory(organization=organization, enterprise=invitation.enterprise)
    elsewhere = AwardFactory(process__organization=other_organization)
    return {
        "processes": process,
        "invitations": invitation,
        "bids": bid,
        "awards": award,
        "business-contacts": contact,
        "elsewhere": elsewhere,
    }


ENDPOINTS = ["processes", "invitations", "bids", "awards", "business-contacts"]


# --- visibility ------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_officer_sees_the_records_of_their_organization(api_client, officer, records, endpoint):
    response = as_user(api_client, officer).get(f"/api/{endpoint}/")

    assert ids(response) == {records[endpoint].pk}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_outsider_cannot_see_another_organizations_records(
    api_client, outsider, records, endpoint
):
    client = as_user(api_client, outsider)

    assert records[endpoint].pk not in ids(client.get(f"/api/{endpoint}/"))
    assert client.get(f"/api/{endpoint}/{records[endpoint].pk}/").status_code == 404


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_buyer_and_a_manager_read_but_do_not_write(api_client, buyer, manager, records, endpoint):
    for user in (buyer, manager):
        client = as_user(api_client, user)
        assert ids(client.get(f"/api/{endpoint}/")) == {records[endpoint].pk}
        response = client.patch(f"/api/{endpoint}/{records[endpoint].pk}/", {}, format="json")
        assert response.status_code in (403, 405)


@pytest.mark.parametrize("endpoint", [*ENDPOINTS, "activities", "thresholds"])
def test_a_visitor_sees_nothing(api_client, records, endpoint):
    assert api_client.get(f"/api/{endpoint}/").status_code in (401, 403)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_signed_in_stranger_sees_nothing(api_client, stranger, records, endpoint):
    assert ids(as_user(api_client, stranger).get(f"/api/{endpoint}/")) == set()


def test_a_coordinator_sees_every_organization(api_client, coordinator, records):
    response = as_user(api_client, coordinator).get("/api/awards/")

    assert ids(response) == {records["awards"].pk, records["elsewhere"].pk}


@pytest.mark.parametrize("endpoint", ["invitations", "bids", "awards"])
def test_an_ees_representative_reads_its_own_invitations_bids_and_awards(
    api_client, records, endpoint
):
    own = records[endpoint]
    representative = RepresentativeFactory(enterprise=own.enterprise).user
    client = as_user(api_client, representative)

    assert ids(client.get(f"/api/{endpoint}/")) == {own.pk}
    assert client.get(f"/api/{endpoint}/{own.pk}/").status_code == 200


def test_an_ees_representative_cannot_write_nor_see_processes_or_contacts(api_client, records):
    representative = RepresentativeFactory(enterprise=records["awards"].enterprise).user
    client = as_user(api_client, representative)

    assert client.post(f"/api/awards/{records['awards'].pk}/cancel/").status_code == 403
    assert ids(client.get("/api/processes/")) == set()
    assert ids(client.get("/api/business-contacts/")) == set()


def test_published_annual_needs_are_public_and_drafts_are_not(api_client, organization):
    published = AnnualNeedFactory(organization=organization, is_published=True)
    AnnualNeedFactory(organization=organization, is_published=False)

    assert ids(api_client.get("/api/annual-needs/")) == {published.pk}


def test_an_officer_sees_the_draft_annual_needs_of_their_organization(
    api_client, officer, organization, other_organization
):
    draft = AnnualNeedFactory(organization=organization)
    AnnualNeedFactory(organization=other_organization)

    assert ids(as_user(api_client, officer).get("/api/annual-needs/")) == {draft.pk}


# --- writes ----------------------------------------------------------------------------------


def process_payload(organization, **fields):
    return {
        "organization": organization.pk,
        "reference": "AO-2025-100",
        "title": "Déneigement",
        "method": "invitation",
        "estimated_value": "50000.00",
        "published_on": "2025-01-15",
        "status": "open",
        **fields,
    }


def test_an_officer_creates_a_process_in_their_organization(api_client, officer, organization):
    response = as_user(api_client, officer).post(
        "/api/processes/", process_payload(organization), format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["estimated_value"] == "50000.00"
    assert body["published_on"] == "2025-01-15"
    assert body["status"] == "open"
    assert body["source"] == "api"
    process = ProcurementProcess.objects.get(pk=body["id"])
    assert process.created_by == officer
    assert process.history.get().history_user == officer


def test_an_officer_cannot_create_a_process_for_another_organization(
    api_client, outsider, organization
):
    response = as_user(api_client, outsider).post(
        "/api/processes/", process_payload(organization), format="json"
    )

    assert response.status_code == 403
    assert not ProcurementProcess.objects.exists()


def test_a_buyer_cannot_create_a_process(api_client, buyer, organization):
    response = as_user(api_client, buyer).post(
        "/api/processes/", process_payload(organization), format="json"
    )

    assert response.status_code == 403


def test_an_outsider_cannot_record_on_another_organizations_process(api_client, outsider, records):
    response = as_user(api_client, outsider).post(
        "/api/bids/",
        {
            "process": records["processes"].pk,
            "enterprise": EnterpriseFactory().pk,
            "submitted_on": "2025-02-16",
            "amount": "100.00",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "process" in response.json()
    assert Bid.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "french"),
    [
        ({"estimated_value": "-1.00"}, "estimated_value", "supérieure ou égale"),
        ({"estimated_value": "1000000000.00"}, "estimated_value", "inférieure ou égale"),
        ({"closing_on": "2025-01-01"}, "closing_on", "date de clôture"),
        (
            {"method": "direct", "estimated_value": "30000.00"},
            "method_justification",
            "justification",
        ),
        ({"unspsc_codes": "12"}, "unspsc_codes", "8 chiffres"),
        ({"status": "finished"}, "status", "valide"),
    ],
)
def test_bad_process_input_gets_a_clear_french_400(
    api_client, officer, organization, fields, field, french
):
    response = as_user(api_client, officer).post(
        "/api/processes/", process_payload(organization, **fields), format="json"
    )

    assert response.status_code == 400
    assert french in " ".join(response.json()[field])
    assert not ProcurementProcess.objects.exists()


def test_a_duplicate_reference_gets_a_400(api_client, officer, organization):
    ProcessFactory(organization=organization, reference="AO-2025-100")

    response = as_user(api_client, officer).post(
        "/api/processes/", process_payload(organization), format="json"
    )

    assert response.status_code == 400
    assert "reference" in response.json()


def test_a_process_moves_through_the_transition_action(api_client, officer, organization):
    process = ProcessFactory(organization=organization, status=Status.OPEN)
    client = as_user(api_client, officer)

    moved = client.post(f"/api/processes/{process.pk}/transition/", {"status": "closed"})
    refused = client.post(f"/api/processes/{process.pk}/transition/", {"status": "draft"})

    assert moved.status_code == 200
    assert moved.json()["status"] == "closed"
    assert refused.status_code == 400
    assert "ne peut pas passer" in refused.json()["non_field_errors"][0]


def test_a_status_is_not_changed_by_an_edit(api_client, officer, organization):
    process = ProcessFactory(organization=organization, status=Status.OPEN)

    response = as_user(api_client, officer).patch(
        f"/api/processes/{process.pk}/", {"status": "closed"}, format="json"
    )

    assert response.status_code == 400
    assert "transition" in response.json()["status"][0]


def test_a_process_is_edited_but_not_moved_to_another_organization(
    api_client, officer, organization, other_organization
):
    process = ProcessFactory(organization=organization)
    client = as_user(api_client, officer)

    edited = client.patch(f"/api/processes/{process.pk}/", {"title": "Nouveau"}, format="json")
    moved = client.patch(
        f"/api/processes/{process.pk}/", {"organization": other_organization.pk}, format="json"
    )

    assert edited.status_code == 200
    assert edited.json()["title"] == "Nouveau"
    assert moved.status_code == 400


def test_processes_cannot_be_deleted(api_client, officer, organization):
    process = ProcessFactory(organization=organization)

    response = as_user(api_client, officer).delete(f"/api/processes/{process.pk}/")

    assert response.status_code == 405


def test_an_invitation_is_recorded_once(api_client, officer, organization):
    process = ProcessFactory(organization=organization)
    enterprise = EnterpriseFactory()
    client = as_user(api_client, officer)
    payload = {"process": process.pk, "enterprise": enterprise.pk, "invited_on": "2025-02-01"}

    first = client.post("/api/invitations/", payload, format="json")
    duplicate = client.post("/api/invitations/", payload, format="json")

    assert first.status_code == 201
    assert first.json()["process_reference"] == process.reference
    assert duplicate.status_code == 400
    assert "déjà invitée" in duplicate.json()["non_field_errors"][0]
    assert Invitation.objects.count() == 1


def test_a_non_invited_supplier_cannot_bid_on_an_invitation_tender(
    api_client, officer, organization
):
    process = ProcessFactory(organization=organization, method=Method.INVITATION)

    response = as_user(api_client, officer).post(
        "/api/bids/",
        {
            "process": process.pk,
            "enterprise": EnterpriseFactory().pk,
            "submitted_on": "2025-02-15",
            "amount": "1000.00",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "invités" in response.json()["non_field_errors"][0]


def test_a_bid_after_the_award_is_refused(api_client, officer, records):
    invitation = InvitationFactory(process=records["processes"], invited_on=dt.date(2025, 2, 1))

    response = as_user(api_client, officer).post(
        "/api/bids/",
        {
            "process": invitation.process_id,
            "enterprise": invitation.enterprise_id,
            "submitted_on": "2025-03-02",
            "amount": "1000.00",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "adjudication" in response.json()["submitted_on"][0]


def test_only_the_status_of_a_bid_changes(api_client, officer, records):
    bid = records["bids"]
    client = as_user(api_client, officer)

    status = client.patch(f"/api/bids/{bid.pk}/", {"status": "compliant"}, format="json")
    amount = client.patch(f"/api/bids/{bid.pk}/", {"amount": "1.00"}, format="json")

    assert status.status_code == 200
    assert status.json()["status"] == "compliant"
    assert amount.status_code == 400


def award_payload(process, enterprise, **fields):
    return {
        "process": process.pk,
        "enterprise": enterprise.pk,
        "awarded_on": "2025-03-01",
        "amount": "12345.67",
        **fields,
    }


def test_an_award_is_recorded_with_exact_cents_and_its_flags(api_client, officer, organization):
    process = ProcessFactory(organization=organization, status=Status.CLOSED)

    response = as_user(api_client, officer).post(
        "/api/awards/", award_payload(process, EnterpriseFactory()), format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["amount"] == "12345.67"
    assert body["awarded_on"] == "2025-03-01"
    assert body["is_new_relationship"] is True
    assert body["follows_matchmaking"] is False
    assert Award.objects.get().amount == Decimal("12345.67")
    process.refresh_from_db()
    assert process.status == Status.AWARDED


def test_an_award_to_a_supplier_outside_the_directory_creates_a_non_ees(
    api_client, officer, organization
):
    process = ProcessFactory(organization=organization, method=Method.OPEN)
    payload = award_payload(process, EnterpriseFactory())
    del payload["enterprise"]
    payload["supplier"] = {"name": "Fournitures Générales inc.", "neq": "1160000001"}

    response = as_user(api_client, officer).post("/api/awards/", payload, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["is_social_economy"] is False
    assert response.json()["enterprise_name"] == "Fournitures Générales inc."


def test_an_award_needs_an_enterprise_or_a_supplier(api_client, officer, organization):
    process = ProcessFactory(organization=organization)
    payload = award_payload(process, EnterpriseFactory())
    del payload["enterprise"]

    response = as_user(api_client, officer).post("/api/awards/", payload, format="json")

    assert response.status_code == 400
    assert "enterprise" in response.json()


def test_an_award_on_a_cancelled_process_is_refused(api_client, officer, organization):
    process = ProcessFactory(organization=organization, status=Status.CANCELLED)

    response = as_user(api_client, officer).post(
        "/api/awards/", award_payload(process, EnterpriseFactory()), format="json"
    )

    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Ce processus est annulé."]
    assert not Award.objects.exists()


@pytest.mark.parametrize("amount", ["-1.00", "1000000000.00", "10.001", "beaucoup"])
def test_a_negative_absurd_or_malformed_amount_is_refused(
    api_client, officer, organization, amount
):
    process = ProcessFactory(organization=organization)

    response = as_user(api_client, officer).post(
        "/api/awards/", award_payload(process, EnterpriseFactory(), amount=amount), format="json"
    )

    assert response.status_code == 400
    assert "amount" in response.json()
    assert not Award.objects.exists()


def test_awards_are_cancelled_never_deleted(api_client, officer, records):
    award = records["awards"]
    client = as_user(api_client, officer)

    deleted = client.delete(f"/api/awards/{award.pk}/")
    cancelled = client.post(f"/api/awards/{award.pk}/cancel/")
    again = client.post(f"/api/awards/{award.pk}/cancel/")

    assert deleted.status_code == 405
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert again.status_code == 400
    assert Award.objects.filter(pk=award.pk).exists()


def test_an_award_is_corrected_but_its_supplier_is_not_swapped(api_client, officer, records):
    award = records["awards"]
    client = as_user(api_client, officer)

    corrected = client.patch(
        f"/api/awards/{award.pk}/", {"amount": "29999.99", "contract_number": "C-1"}, format="json"
    )
    swapped = client.patch(
        f"/api/awards/{award.pk}/", {"enterprise": EnterpriseFactory().pk}, format="json"
    )

    assert corrected.status_code == 200
    assert corrected.json()["amount"] == "29999.99"
    assert swapped.status_code == 400


def test_an_outsider_cannot_cancel_another_organizations_award(api_client, outsider, records):
    response = as_user(api_client, outsider).post(f"/api/awards/{records['awards'].pk}/cancel/")

    assert response.status_code == 404
    assert Award.objects.get(pk=records["awards"].pk).status == Award.Status.ACTIVE


def test_a_business_contact_is_recorded_with_its_novelty(api_client, officer, organization):
    activity = ActivityFactory(date=dt.date(2025, 1, 20))
    enterprise = EnterpriseFactory()

    response = as_user(api_client, officer).post(
        "/api/business-contacts/",
        {
            "organization": organization.pk,
            "enterprise": enterprise.pk,
            "date": "2025-01-20",
            "activity": activity.pk,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["is_new"] is True


def test_a_contact_before_its_activity_is_refused(api_client, officer, organization):
    activity = ActivityFactory(date=dt.date(2025, 1, 20))

    response = as_user(api_client, officer).post(
        "/api/business-contacts/",
        {
            "organization": organization.pk,
            "enterprise": EnterpriseFactory().pk,
            "date": "2025-01-19",
            "activity": activity.pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "date" in response.json()


def test_an_outsider_cannot_record_a_contact_for_another_organization(
    api_client, outsider, organization
):
    response = as_user(api_client, outsider).post(
        "/api/business-contacts/",
        {
            "organization": organization.pk,
            "enterprise": EnterpriseFactory().pk,
            "date": "2025-01-20",
        },
        format="json",
    )

    assert response.status_code == 403


def test_an_officer_records_an_activity_of_their_organization_only(
    api_client, officer, organization, other_organization
):
    client = as_user(api_client, officer)
    payload = {"kind": "matchmaking", "date": "2025-01-20", "title": "Maillage", "participants": 35}

    mine = client.post(
        "/api/activities/", {**payload, "organizations": [organization.pk]}, format="json"
    )
    theirs = client.post(
        "/api/activities/", {**payload, "organizations": [other_organization.pk]}, format="json"
    )

    assert mine.status_code == 201
    assert mine.json()["participants"] == 35
    assert theirs.status_code == 403


def test_a_negative_number_of_participants_is_refused(api_client, coordinator):
    response = as_user(api_client, coordinator).post(
        "/api/activities/",
        {"kind": "training", "date": "2025-01-20", "title": "Formation", "participants": -3},
        format="json",
    )

    assert response.status_code == 400
    assert "participants" in response.json()


# --- loading a history with a coordinator's token ---------------------------------------------


def test_a_coordinator_token_loads_a_whole_history(api_client, coordinator, organization):
    """The worked example of indicators.md, loaded through the API only."""
    token = Token.objects.create(user=coordinator)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    ees_a, ees_b, other = (
        EnterpriseFactory(),
        EnterpriseFactory(),
        EnterpriseFactory(supplier_only=True),
    )

    def post(endpoint, payload):
        response = api_client.post(f"/api/{endpoint}/", payload, format="json")
        assert response.status_code == 201, (endpoint, response.content)
        return response.json()

    activity = post(
        "activities",
        {
            "kind": "matchmaking",
            "date": "2025-01-20",
            "title": "Maillage M",
            "participants": 60,
            "organizations": [organization.pk],
            "enterprises": [ees_a.pk],
        },
    )
    post(
        "business-contacts",
        {
            "organization": organization.pk,
            "enterprise": ees_a.pk,
            "date": "2025-01-20",
            "activity": activity["id"],
        },
    )
    p1 = post(
        "processes",
        process_payload(organization, reference="P1", status="closed", published_on="2025-01-15"),
    )
    post("invitations", {"process": p1["id"], "enterprise": ees_a.pk, "invited_on": "2025-02-01"})
    bid = post(
        "bids",
        {
            "process": p1["id"],
            "enterprise": ees_a.pk,
            "submitted_on": "2025-02-15",
            "amount": "30000.00",
            "status": "compliant",
        },
    )
    award_a = post(
        "awards",
        {
            "process": p1["id"],
            "enterprise": ees_a.pk,
            "awarded_on": "2025-03-01",
            "amount": "30000.00",
            "bid": bid["id"],
        },
    )
    old = post(
        "processes",
        process_payload(
            organization,
            reference="OLD",
            method="direct",
            estimated_value="5000.00",
            published_on="2023-04-01",
            status="awarded",
        ),
    )
    post(
        "awards",
        {
            "process": old["id"],
            "enterprise": ees_b.pk,
            "awarded_on": "2023-04-02",
            "amount": "5000",
        },
    )
    p2 = post(
        "processes",
        process_payload(
            organization,
            reference="P2",
            method="direct",
            estimated_value="10000.00",
            published_on="2025-06-01",
            status="draft",
        ),
    )
    award_b = post(
        "awards",
        {
            "process": p2["id"],
            "enterprise": ees_b.pk,
            "awarded_on": "2025-06-01",
            "amount": "10000",
        },
    )
    p3 = post(
        "processes",
        process_payload(
            organization,
            reference="P3",
            method="open",
            estimated_value="100000.00",
            published_on="2025-03-01",
        ),
    )
    post(
        "awards",
        {
            "process": p3["id"],
            "enterprise": other.pk,
            "awarded_on": "2025-04-01",
            "amount": "100000",
        },
    )

    assert (award_a["is_new_relationship"], award_a["follows_matchmaking"]) == (True, True)
    assert award_b["is_new_relationship"] is False
    spend = sum(
        Decimal(row["amount"])
        for row in api_client.get(
            "/api/awards/?start=2025-01-01&end=2025-12-31&social_economy=true"
        ).json()["results"]
    )
    assert spend == Decimal("40000.00")
    assert set(ProcurementProcess.objects.values_list("status", flat=True)) == {Status.AWARDED}


# --- filters ---------------------------------------------------------------------------------


def test_awards_filter_by_organization_method_status_period_and_enterprise(
    api_client, coordinator, organization, other_organization
):
    enterprise = EnterpriseFactory()
    direct = AwardFactory(
        process__organization=organization,
        process__method=Method.DIRECT,
        enterprise=enterprise,
        awarded_on=dt.date(2025, 5, 1),
    )
    tender = AwardFactory(
        process__organization=organization,
        process__method=Method.OPEN,
        awarded_on=dt.date(2024, 5, 1),
    )
    cancelled = AwardFactory(
        process__organization=other_organization, status=Award.Status.CANCELLED
    )
    client = as_user(api_client, coordinator)

    assert ids(client.get(f"/api/awards/?organization={organization.pk}")) == {direct.pk, tender.pk}
    assert ids(client.get("/api/awards/?method=direct")) == {direct.pk}
    assert ids(client.get("/api/awards/?status=cancelled")) == {cancelled.pk}
    assert ids(client.get("/api/awards/?start=2025-01-01&end=2025-12-31")) == {
        direct.pk,
        cancelled.pk,
    }
    assert ids(client.get("/api/awards/?year=2024")) == {tender.pk}
    assert ids(client.get(f"/api/awards/?enterprise={enterprise.pk}")) == {direct.pk}


def test_processes_filter_by_method_status_and_awarded_enterprise(
    api_client, officer, organization
):
    award = AwardFactory(process__organization=organization, process__method=Method.DIRECT)
    open_tender = ProcessFactory(organization=organization, method=Method.OPEN)
    client = as_user(api_client, officer)

    assert ids(client.get("/api/processes/?method=open")) == {open_tender.pk}
    assert ids(client.get("/api/processes/?status=open")) == {open_tender.pk, award.process_id}
    assert ids(client.get(f"/api/processes/?enterprise={award.enterprise_id}")) == {
        award.process_id
    }


def test_a_period_that_ends_before_it_starts_is_a_400(api_client, officer):
    response = as_user(api_client, officer).get("/api/awards/?start=2025-12-31&end=2025-01-01")

    assert response.status_code == 400
    assert "end" in response.json()


def test_an_unknown_organization_filter_is_a_400(api_client, officer):
    response = as_user(api_client, officer).get("/api/processes/?organization=999999")

    assert response.status_code == 400


# --- query counts ----------------------------------------------------------------------------


def make_many(organization, n):
    for _ in range(n):
        invitation = InvitationFactory(process__organization=organization)
        bid = BidFactory(process=invitation.process, enterprise=invitation.enterprise)
        AwardFactory(process=invitation.process, enterprise=invitation.enterprise, bid=bid)
        BusinessContactFactory(organization=organization, enterprise=invitation.enterprise)
        activity = ActivityFactory()
        activity.organizations.add(organization)
        activity.enterprises.add(invitation.enterprise)
        AnnualNeedFactory(organization=organization, is_published=True)


@pytest.mark.parametrize(
    "endpoint",
    [*ENDPOINTS, "activities", "annual-needs", "thresholds"],
)
def test_list_endpoints_use_a_constant_number_of_queries(
    api_client, officer, organization, django_assert_max_num_queries, endpoint
):
    client = as_user(api_client, officer)
    make_many(organization, 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/api/{endpoint}/").status_code == 200
    make_many(organization, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/api/{endpoint}/")
    assert response.json()["count"] >= (8 if endpoint != "thresholds" else 1)


def test_the_procurement_api_is_documented_in_the_openapi_schema(api_client):
    response = api_client.get("/api/schema/?format=json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/annual-needs/",
        "/api/processes/{id}/transition/",
        "/api/processes/{id}/history/",
        "/api/invitations/{id}/respond/",
        "/api/bids/",
        "/api/awards/{id}/cancel/",
        "/api/awards/cumulative/",
        "/api/activities/",
        "/api/business-contacts/",
        "/api/thresholds/",
    ):
        assert path in paths
    assert "delete" not in paths["/api/awards/{id}/"]
