"""The audit trail through the API: who changed what and when, for staff and coordinators."""

import pytest

from tests.factories import (
    AwardFactory,
    BidFactory,
    BusinessContactFactory,
    InvitationFactory,
    ProcessFactory,
    RepresentativeFactory,
)

pytestmark = pytest.mark.django_db


def history(client, user, endpoint, pk):
    client.force_authenticate(user)
    return client.get(f"/api/{endpoint}/{pk}/history/")


def test_a_process_history_names_who_changed_what(api_client, officer, organization):
    api_client.force_authenticate(officer)
    created = api_client.post(
        "/api/processes/",
        {
            "organization": organization.pk,
            "reference": "AO-1",
            "title": "Traiteur",
            "method": "open",
            "published_on": "2025-01-15",
        },
        format="json",
    ).json()
    api_client.patch(f"/api/processes/{created['id']}/", {"title": "Buffet"}, format="json")
    api_client.post(f"/api/processes/{created['id']}/transition/", {"status": "open"})

    entries = api_client.get(f"/api/processes/{created['id']}/history/").json()

    assert [entry["action"] for entry in entries] == ["changed", "changed", "created"]
    assert {entry["user"] for entry in entries} == {"alice@example.org"}
    assert entries[0]["changes"] == [{"field": "status", "old": "draft", "new": "open"}]
    assert entries[1]["changes"] == [{"field": "title", "old": "Traiteur", "new": "Buffet"}]
    created_fields = {change["field"]: change["new"] for change in entries[2]["changes"]}
    assert created_fields["reference"] == "AO-1"
    assert created_fields["published_on"] == "2025-01-15"


def test_a_cancelled_award_shows_its_cancellation(api_client, officer, organization):
    award = AwardFactory(process__organization=organization)
    api_client.force_authenticate(officer)
    api_client.post(f"/api/awards/{award.pk}/cancel/")

    entries = api_client.get(f"/api/awards/{award.pk}/history/").json()

    assert entries[0]["changes"] == [{"field": "status", "old": "active", "new": "cancelled"}]
    assert entries[0]["user"] == "alice@example.org"


@pytest.mark.parametrize(
    ("endpoint", "factory"),
    [
        ("processes", lambda org: ProcessFactory(organization=org)),
        ("invitations", lambda org: InvitationFactory(process__organization=org)),
        ("bids", lambda org: BidFactory(process__organization=org)),
        ("awards", lambda org: AwardFactory(process__organization=org)),
        ("business-contacts", lambda org: BusinessContactFactory(organization=org)),
    ],
)
def test_the_history_is_for_the_organizations_staff_and_coordinators(
    api_client, buyer, outsider, coordinator, organization, endpoint, factory
):
    record = factory(organization)

    assert history(api_client, buyer, endpoint, record.pk).status_code == 200
    assert history(api_client, coordinator, endpoint, record.pk).status_code == 200
    assert history(api_client, outsider, endpoint, record.pk).status_code == 404


def test_an_ees_representative_reads_its_award_but_not_its_audit_trail(api_client, organization):
    award = AwardFactory(process__organization=organization)
    representative = RepresentativeFactory(enterprise=award.enterprise).user

    response = history(api_client, representative, "awards", award.pk)

    assert response.status_code == 403
    assert "historique" in response.json()["detail"]
