from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from directory import services
from directory.models import Enterprise, Representative
from tests.directory.factories_members import PendingEnterpriseFactory
from tests.factories import EnterpriseFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(db):
    """A pending enterprise with its representative and consent to publication."""
    enterprise = PendingEnterpriseFactory(
        name="Coop Paniers", publication_consent_at=timezone.now()
    )
    RepresentativeFactory(enterprise=enterprise, user__email="josee@coop.example")
    return enterprise


@pytest.fixture
def decide(client, coordinator, django_capture_on_commit_callbacks):
    """A coordinator posts a decision; the e-mail task runs at commit."""
    client.force_login(coordinator)

    def post(name, pk, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse(name, args=[pk]), data or {})

    return post


def test_the_queue_lists_pending_enterprises_oldest_first(
    client, coordinator, django_assert_num_queries
):
    now = timezone.now()
    PendingEnterpriseFactory(name="Récente", submitted_at=now)
    PendingEnterpriseFactory(name="Ancienne", submitted_at=now - timedelta(days=3))
    EnterpriseFactory(name="Déjà vérifiée")
    RepresentativeFactory(is_approved=False, message="Je suis la DG")
    client.force_login(coordinator)

    with django_assert_num_queries(6):  # session, user, roles ×2, pending, requests
        page = client.get(reverse("directory:verification-queue")).content.decode()

    assert page.index("Ancienne") < page.index("Récente")
    assert "Déjà vérifiée" not in page
    assert "Je suis la DG" in page
    assert "File de vérification" in page


def test_the_queue_query_count_does_not_grow_with_the_queue(
    client, coordinator, django_assert_num_queries
):
    PendingEnterpriseFactory.create_batch(5)
    RepresentativeFactory.create_batch(5, is_approved=False)
    client.force_login(coordinator)

    with django_assert_num_queries(6):
        client.get(reverse("directory:verification-queue"))


@pytest.mark.parametrize("actor", ["officer", "buyer", "manager", "outsider", "stranger"])
def test_only_coordinators_see_the_queue(client, request, actor):
    client.force_login(request.getfixturevalue(actor))

    assert client.get(reverse("directory:verification-queue")).status_code == 403


def test_a_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("directory:verification-queue"))

    assert response.status_code == 302


@pytest.mark.parametrize("actor", ["officer", "outsider"])
def test_non_coordinators_cannot_decide(client, request, actor, pending):
    client.force_login(request.getfixturevalue(actor))

    approve = client.post(reverse("directory:verification-approve", args=[pending.pk]))
    reject = client.post(
        reverse("directory:verification-reject", args=[pending.pk]), {"reason": "Non"}
    )

    assert approve.status_code == reject.status_code == 403
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.PENDING


def test_the_detail_page_shows_what_the_coordinator_needs(client, coordinator, pending):
    client.force_login(coordinator)

    page = client.get(reverse("directory:verification-detail", args=[pending.pk])).content.decode()

    assert "Coop Paniers" in page
    assert "josee@coop.example" in page
    assert "Approuver : c’est une entreprise d’économie sociale" in page
    assert "Motif du refus" in page


def test_approving_verifies_publishes_with_consent_and_emails_in_french(decide, pending):
    response = decide("directory:verification-approve", pending.pk)

    assert response.url == reverse("directory:verification-queue")
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.VERIFIED
    assert pending.status_decided_by.email == "coord@example.org"
    assert pending.is_published
    assert Enterprise.objects.published().filter(pk=pending.pk).exists()
    assert mail.outbox[-1].to == ["josee@coop.example"]
    assert "Vérifiée" in mail.outbox[-1].body


def test_approving_without_consent_verifies_but_does_not_publish(decide, pending):
    pending.publication_consent_at = None
    pending.save()

    decide("directory:verification-approve", pending.pk)

    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.VERIFIED
    assert not pending.is_published


def test_rejecting_needs_a_reason_in_french(decide, pending):
    response = decide("directory:verification-reject", pending.pk, {"reason": "   "})

    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.PENDING
    assert not mail.outbox


def test_rejecting_with_a_reason_emails_the_reason(decide, pending):
    decide(
        "directory:verification-reject", pending.pk, {"reason": "Entreprise privée à but lucratif"}
    )

    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.REJECTED
    assert pending.status_reason == "Entreprise privée à but lucratif"
    assert not pending.is_published
    assert "Entreprise privée à but lucratif" in mail.outbox[-1].body
    assert "Refusée" in mail.outbox[-1].body


def test_a_decided_enterprise_cannot_be_approved_twice(decide, pending):
    decide("directory:verification-approve", pending.pk)
    mail.outbox.clear()

    response = decide("directory:verification-approve", pending.pk)

    assert response.status_code == 302
    assert response.url == reverse("directory:verification-detail", args=[pending.pk])
    assert not mail.outbox


def test_a_rejected_representative_may_submit_again(client, decide, pending):
    decide("directory:verification-reject", pending.pk, {"reason": "NEQ à vérifier"})
    user = pending.representatives.get().user
    from tests.directory.factories_members import complete_enterprise

    complete_enterprise(pending)
    client.force_login(user)

    client.post(reverse("directory:my-enterprise-submit", args=[pending.pk]))

    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.PENDING


def test_approving_a_join_request_gives_access_and_emails(decide, client):
    join = RepresentativeFactory(is_approved=False, user__email="nouveau@coop.example")

    decide("directory:join-request-approve", join.pk)

    join.refresh_from_db()
    assert join.is_approved
    assert mail.outbox[-1].to == ["nouveau@coop.example"]
    client.force_login(join.user)
    assert (
        client.get(reverse("directory:my-enterprise", args=[join.enterprise_id])).status_code == 200
    )


def test_declining_a_join_request_removes_it_and_emails(decide):
    join = RepresentativeFactory(is_approved=False, user__email="nouveau@coop.example")

    decide("directory:join-request-decline", join.pk)

    assert not Representative.objects.filter(pk=join.pk).exists()
    assert "a refusé votre demande" in mail.outbox[-1].body


def test_an_outsider_cannot_approve_a_join_request(client, outsider):
    join = RepresentativeFactory(is_approved=False)
    client.force_login(outsider)

    response = client.post(reverse("directory:join-request-approve", args=[join.pk]))

    assert response.status_code == 403
    join.refresh_from_db()
    assert not join.is_approved


def test_revoking_an_enterprise_takes_it_out_of_the_public_directory(coordinator):
    enterprise = EnterpriseFactory()

    services.revoke_enterprise(enterprise=enterprise, by=coordinator, reason="Vendue")

    assert not Enterprise.objects.published().filter(pk=enterprise.pk).exists()
