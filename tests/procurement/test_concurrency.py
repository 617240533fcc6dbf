"""Two writers at once: the process row lock lets exactly one of them win (PostgreSQL)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from procurement import services
from procurement.models import Award, Bid, Invitation, Method, ProcurementProcess
from tests.factories import BidFactory, EnterpriseFactory, InvitationFactory, ProcessFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 4


def race(action) -> list:
    """Run `action` in WRITERS threads released together; each returns 'ok' or the error."""
    barrier = threading.Barrier(WRITERS)
    outcomes = []

    def run():
        try:
            barrier.wait()
            action()
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_one_bid_is_awarded_once_whoever_clicks_first(organization):
    bid = BidFactory(process__organization=organization, process__status="closed")

    outcomes = race(
        lambda: services.award_contract(
            process=bid.process,
            enterprise=bid.enterprise,
            awarded_on=dt.date(2025, 3, 1),
            amount=Decimal("30000.00"),
            bid=bid,
        )
    )

    assert outcomes.count("ok") == 1
    assert len(outcomes) == WRITERS
    assert Award.objects.filter(bid=bid).count() == 1
    process = ProcurementProcess.objects.get(pk=bid.process_id)
    assert process.status == ProcurementProcess.Status.AWARDED


def test_a_process_moves_once_when_two_people_close_it(organization):
    process = ProcessFactory(organization=organization, status=ProcurementProcess.Status.OPEN)

    outcomes = race(
        lambda: services.change_process_status(
            process=ProcurementProcess.objects.get(pk=process.pk),
            status=ProcurementProcess.Status.CLOSED,
        )
    )

    assert outcomes.count("ok") == 1
    process.refresh_from_db()
    assert process.status == ProcurementProcess.Status.CLOSED
    assert process.history.filter(status=ProcurementProcess.Status.CLOSED).count() == 1


def test_a_supplier_bids_once_even_when_the_bid_is_sent_twice(organization):
    invitation = InvitationFactory(process__organization=organization)

    outcomes = race(
        lambda: services.record_bid(
            process=invitation.process,
            enterprise=invitation.enterprise,
            submitted_on=dt.date(2025, 2, 15),
            amount=Decimal("1000.00"),
        )
    )

    assert outcomes.count("ok") == 1
    assert Bid.objects.count() == 1


def test_an_enterprise_is_invited_once_even_when_two_officers_invite_it(organization):
    process = ProcessFactory(organization=organization, method=Method.INVITATION)
    enterprise = EnterpriseFactory()

    outcomes = race(
        lambda: services.invite_enterprise(
            process=process, enterprise=enterprise, invited_on=dt.date(2025, 2, 1)
        )
    )

    assert outcomes.count("ok") == 1
    assert Invitation.objects.count() == 1


def test_lots_awarded_at_once_all_land_and_the_process_is_awarded_once(organization):
    process = ProcessFactory(organization=organization, status=ProcurementProcess.Status.OPEN)
    suppliers = iter([EnterpriseFactory() for _ in range(WRITERS)])
    lock = threading.Lock()

    def award_a_lot():
        with lock:
            supplier = next(suppliers)
        services.award_contract(
            process=process,
            enterprise=supplier,
            awarded_on=dt.date(2025, 3, 1),
            amount=Decimal("100.00"),
        )

    outcomes = race(award_a_lot)

    assert outcomes == ["ok"] * WRITERS
    assert Award.objects.filter(process=process).count() == WRITERS
    process.refresh_from_db()
    assert process.status == ProcurementProcess.Status.AWARDED
    assert process.history.filter(status=ProcurementProcess.Status.AWARDED).count() == 1
