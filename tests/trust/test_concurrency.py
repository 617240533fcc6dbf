"""Twenty people at once, through the real views and API on PostgreSQL: locks and constraints
hold, nothing is duplicated or lost, and every loser gets a clear answer, never a 500."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from directory.models import Enterprise, Representative
from portal.accounts.models import Membership
from procurement.models import Award, ProcurementProcess
from tests.factories import BidFactory, MembershipFactory, ProcessFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE = 20


def all_at_once(requests) -> list:
    """Send each request from its own thread, released together by a barrier; the responses."""
    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def run(index, send):
        try:
            barrier.wait(timeout=30)
            responses[index] = send()
        except Exception as exc:  # a crash is an outcome to report, not to hide
            responses[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, send)) for index, send in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def statuses(responses) -> list:
    return sorted(getattr(r, "status_code", repr(r)) for r in responses)


def signed_in(user, api=False):
    client = APIClient() if api else Client()
    if api:
        client.force_authenticate(user)
    else:
        client.force_login(user)
    return client


def test_twenty_people_registering_one_neq_make_one_enterprise_and_nineteen_join_requests():
    people = [UserFactory(email=f"person{n}@coop.example") for n in range(PEOPLE)]
    clients = [signed_in(person) for person in people]
    form = {"neq": "1171234567", "name": "Coopérative Concurrente", "legal_form": "coop_workers"}

    responses = all_at_once(
        [lambda c=c: c.post(reverse("directory:registration-start"), form) for c in clients]
    )

    assert statuses(responses) == [302] * PEOPLE
    assert Enterprise.objects.filter(neq="1171234567").count() == 1
    enterprise = Enterprise.objects.get(neq="1171234567")
    representatives = Representative.objects.filter(enterprise=enterprise)
    assert representatives.count() == PEOPLE
    assert representatives.filter(is_approved=True).count() == 1
    # The nineteen others are told the enterprise exists and wait for a coordinator.
    joiners = [r for r in responses if r.url == reverse("directory:my-enterprises")]
    assert len(joiners) == PEOPLE - 1
    winner = representatives.get(is_approved=True).user
    assert [r for r in responses if r.url != reverse("directory:my-enterprises")][0].url == (
        reverse("directory:registration-step", args=[enterprise.pk, "lieu"])
    )
    assert winner.email.endswith("@coop.example")


def test_twenty_officers_awarding_one_bid_make_one_award():
    bid = BidFactory(process__status=ProcurementProcess.Status.CLOSED)
    officers = [
        MembershipFactory(organization=bid.process.organization, role=Membership.Role.OFFICER).user
        for _ in range(PEOPLE)
    ]
    payload = {
        "process": bid.process_id,
        "enterprise": bid.enterprise_id,
        "bid": bid.pk,
        "awarded_on": "2025-03-01",
        "amount": "30000.00",
    }

    responses = all_at_once(
        [
            lambda o=o: signed_in(o, api=True).post("/api/awards/", payload, format="json")
            for o in officers
        ]
    )

    assert statuses(responses) == [201] + [400] * (PEOPLE - 1)
    assert all(r.json() for r in responses if r.status_code == 400)  # a reason, not a crash
    assert Award.objects.filter(bid=bid).count() == 1
    process = ProcurementProcess.objects.get(pk=bid.process_id)
    assert process.status == ProcurementProcess.Status.AWARDED
    assert process.history.filter(status=ProcurementProcess.Status.AWARDED).count() == 1


def test_twenty_officers_moving_one_process_leave_a_history_of_legal_moves_only():
    process = ProcessFactory(status=ProcurementProcess.Status.OPEN)
    officers = [
        MembershipFactory(organization=process.organization, role=Membership.Role.OFFICER).user
        for _ in range(PEOPLE)
    ]
    # Half close it, half cancel it. The row lock serializes them: each move is checked
    # against the status it finds, so "closed" happens at most once and "cancelled" (final)
    # at most once, either from open or from closed.
    targets = ["closed", "cancelled"] * (PEOPLE // 2)
    url = f"/api/processes/{process.pk}/transition/"

    responses = all_at_once(
        [
            lambda o=o, t=t: signed_in(o, api=True).post(url, {"status": t}, format="json")
            for o, t in zip(officers, targets, strict=True)
        ]
    )

    assert set(statuses(responses)) <= {200, 400}
    won = [t for r, t in zip(responses, targets, strict=True) if r.status_code == 200]
    history = list(
        process.history.order_by("history_date", "history_id").values_list("status", flat=True)
    )
    assert history in (["open", "cancelled"], ["open", "closed", "cancelled"])
    assert sorted(won) == sorted(history[1:])  # one success per recorded move, no more
    process.refresh_from_db()
    assert process.status == ProcurementProcess.Status.CANCELLED


def test_twenty_officers_walking_a_process_through_its_states_each_move_once():
    process = ProcessFactory(status=ProcurementProcess.Status.DRAFT)
    officers = [
        MembershipFactory(organization=process.organization, role=Membership.Role.OFFICER).user
        for _ in range(PEOPLE)
    ]
    url = f"/api/processes/{process.pk}/transition/"

    for step in ("open", "closed", "open", "cancelled"):
        responses = all_at_once(
            [
                lambda o=o, step=step: signed_in(o, api=True).post(
                    url, {"status": step}, format="json"
                )
                for o in officers
            ]
        )
        assert statuses(responses) == [200] + [400] * (PEOPLE - 1), step

    statuses_in_history = list(
        process.history.order_by("history_date", "history_id").values_list("status", flat=True)
    )
    assert statuses_in_history == ["draft", "open", "closed", "open", "cancelled"]
