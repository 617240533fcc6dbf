"""Every rule of procurement.services: what is accepted, what is refused, nothing half-saved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from directory.models import Enterprise
from procurement import services
from procurement.models import (
    Activity,
    Award,
    Bid,
    BusinessContact,
    Invitation,
    Method,
    ProcurementProcess,
)
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

Status = ProcurementProcess.Status
D = Decimal


def new_process(organization, by=None, **fields):
    defaults = {
        "reference": "AO-2025-001",
        "title": "Services de traiteur",
        "method": Method.INVITATION,
        "estimated_value": D("50000.00"),
        "published_on": dt.date(2025, 1, 15),
    }
    return services.create_process(organization=organization, by=by, **(defaults | fields))


# --- processes -------------------------------------------------------------------------------


def test_a_process_starts_as_a_draft_with_its_author_in_the_record(organization, officer):
    process = new_process(organization, by=officer)

    assert process.status == Status.DRAFT
    assert process.created_by == officer
    assert process.history.get().history_user == officer
    assert not process.is_flagged


def test_a_direct_award_above_the_invitation_threshold_needs_a_written_justification(
    organization,
):
    with pytest.raises(ValidationError) as refused:
        new_process(organization, method=Method.DIRECT, estimated_value=D("30000"))

    assert "method_justification" in refused.value.message_dict
    assert not ProcurementProcess.objects.exists()


def test_a_justified_mismatch_is_accepted_and_flagged(organization):
    process = new_process(
        organization,
        method=Method.DIRECT,
        estimated_value=D("30000"),
        method_justification="Règlement de gestion contractuelle, art. 12 : fournisseur unique.",
    )

    assert process.is_flagged
    assert "25000" in process.threshold_warning


def test_a_direct_award_below_the_invitation_threshold_fits(organization):
    process = new_process(organization, method=Method.DIRECT, estimated_value=D("24999.99"))

    assert not process.is_flagged


@pytest.mark.parametrize(
    ("published_on", "value", "flagged"),
    [
        (dt.date(2022, 6, 1), D("110000"), True),  # 105 700 $ in force from 2022-01
        (dt.date(2023, 6, 1), D("110000"), False),  # 121 200 $ from 2022-10-07
        (dt.date(2023, 6, 1), D("121200"), True),  # "at or above"
    ],
)
def test_the_public_tender_threshold_is_the_one_in_force_on_the_publication_date(
    organization, published_on, value, flagged
):
    process = new_process(
        organization,
        published_on=published_on,
        estimated_value=value,
        method_justification="Par règlement.",
    )

    assert process.is_flagged is flagged


def test_a_public_tender_fits_any_value(organization):
    process = new_process(organization, method=Method.OPEN, estimated_value=D("5000000"))

    assert not process.is_flagged


def test_a_closing_date_before_the_publication_date_is_refused(organization):
    with pytest.raises(ValidationError) as refused:
        new_process(organization, closing_on=dt.date(2025, 1, 1))

    assert "closing_on" in refused.value.message_dict


@pytest.mark.parametrize("value", [D("-1"), D("1000000000"), D("12.345")])
def test_negative_absurd_or_sub_cent_values_are_refused(organization, value):
    with pytest.raises(ValidationError) as refused:
        new_process(organization, method=Method.OPEN, estimated_value=value)

    assert "estimated_value" in refused.value.message_dict


def test_a_reference_is_unique_within_an_organization_only(organization, other_organization):
    new_process(organization)
    with pytest.raises(ValidationError) as refused:
        new_process(organization)
    new_process(other_organization)

    assert "reference" in refused.value.message_dict
    assert ProcurementProcess.objects.count() == 2


def test_an_annual_need_of_another_organization_is_refused(organization, other_organization):
    need = AnnualNeedFactory(organization=other_organization)

    with pytest.raises(ValidationError) as refused:
        new_process(organization, annual_need=need)

    assert "annual_need" in refused.value.message_dict


def test_unspsc_codes_are_normalized_and_malformed_ones_refused(organization):
    process = new_process(organization, unspsc_codes=" 72102903, 30180000 ,72102903")
    assert process.unspsc_codes == "72102903,30180000"

    with pytest.raises(ValidationError) as refused:
        new_process(organization, reference="AO-2", unspsc_codes="7210, abc")
    assert "unspsc_codes" in refused.value.message_dict


def test_a_history_can_be_loaded_with_a_process_created_directly_as_awarded(organization):
    process = new_process(organization, status=Status.AWARDED)

    assert process.status == Status.AWARDED


def test_an_unknown_status_is_refused(organization):
    with pytest.raises(ValidationError):
        new_process(organization, status="finished")


def test_an_update_changes_the_fields_and_recomputes_the_flag(organization, officer):
    process = new_process(organization)

    updated = services.update_process(
        process=process,
        by=officer,
        changes={
            "title": "Traiteur",
            "method": Method.DIRECT,
            "method_justification": "Fournisseur unique.",
        },
    )

    assert updated.title == "Traiteur"
    assert updated.is_flagged
    assert updated.history.first().history_user == officer


def test_an_update_does_not_move_the_status(organization):
    process = new_process(organization)

    with pytest.raises(ValidationError) as refused:
        services.update_process(process=process, changes={"status": Status.OPEN})

    assert "status" in refused.value.message_dict
    process.refresh_from_db()
    assert process.status == Status.DRAFT


def test_an_update_refuses_fields_it_does_not_own(organization, other_organization):
    process = new_process(organization)

    with pytest.raises(ValidationError):
        services.update_process(process=process, changes={"organization": other_organization})


def test_an_awarded_process_keeps_its_method_and_value(organization):
    process = ProcessFactory(organization=organization, status=Status.AWARDED)

    with pytest.raises(ValidationError):
        services.update_process(process=process, changes={"estimated_value": D("1")})
    services.update_process(process=process, changes={"title": "Nouveau titre"})

    process.refresh_from_db()
    assert process.estimated_value == D("50000.00")
    assert process.title == "Nouveau titre"


def test_the_publication_date_cannot_move_after_recorded_awards(organization):
    award = AwardFactory(process__organization=organization, awarded_on=dt.date(2025, 3, 1))

    with pytest.raises(ValidationError) as refused:
        services.update_process(
            process=award.process, changes={"published_on": dt.date(2025, 4, 1)}
        )

    assert "published_on" in refused.value.message_dict


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.DRAFT, Status.OPEN),
        (Status.DRAFT, Status.CANCELLED),
        (Status.OPEN, Status.CLOSED),
        (Status.OPEN, Status.CANCELLED),
        (Status.CLOSED, Status.OPEN),
        (Status.CLOSED, Status.CANCELLED),
    ],
)
def test_allowed_status_moves(organization, start, target):
    process = ProcessFactory(organization=organization, status=start)

    services.change_process_status(process=process, status=target)

    process.refresh_from_db()
    assert process.status == target


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.DRAFT, Status.CLOSED),
        (Status.OPEN, Status.DRAFT),
        (Status.AWARDED, Status.OPEN),
        (Status.AWARDED, Status.CANCELLED),
        (Status.CANCELLED, Status.OPEN),
        (Status.OPEN, Status.OPEN),
    ],
)
def test_illegal_status_moves_are_refused_in_french(organization, start, target):
    process = ProcessFactory(organization=organization, status=start)

    with pytest.raises(ValidationError) as refused:
        services.change_process_status(process=process, status=target)

    assert "Un processus ne peut pas passer" in refused.value.messages[0]
    process.refresh_from_db()
    assert process.status == start


def test_a_process_is_awarded_by_recording_its_award_not_by_a_transition(organization):
    process = ProcessFactory(organization=organization, status=Status.CLOSED)

    with pytest.raises(ValidationError):
        services.change_process_status(process=process, status=Status.AWARDED)

    AwardFactory(process=process, status=Award.Status.PENDING)
    services.change_process_status(process=process, status=Status.AWARDED)
    process.refresh_from_db()
    assert process.status == Status.AWARDED


# --- invitations -----------------------------------------------------------------------------


def test_an_enterprise_is_invited_and_its_representatives_notified(
    organization, officer, django_capture_on_commit_callbacks
):
    process = ProcessFactory(organization=organization)
    enterprise = EnterpriseFactory(email="")
    RepresentativeFactory(enterprise=enterprise, user__email="rep@coop.example")

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_enterprise(
            process=process, enterprise=enterprise, invited_on=timezone.localdate(), by=officer
        )

    assert invitation.created_by == officer
    assert [message.to for message in mail.outbox] == [["rep@coop.example"]]


def test_an_invitation_recorded_long_after_the_fact_sends_no_email(
    organization, django_capture_on_commit_callbacks
):
    process = ProcessFactory(organization=organization)
    enterprise = EnterpriseFactory(email="info@coop.example")

    with django_capture_on_commit_callbacks(execute=True):
        services.invite_enterprise(
            process=process, enterprise=enterprise, invited_on=dt.date(2025, 2, 1)
        )

    assert mail.outbox == []


def test_nobody_is_invited_to_a_public_tender(organization):
    process = ProcessFactory(organization=organization, method=Method.OPEN)

    with pytest.raises(ValidationError):
        services.invite_enterprise(process=process, enterprise=EnterpriseFactory())


def test_nobody_is_invited_to_a_cancelled_process(organization):
    process = ProcessFactory(organization=organization, status=Status.CANCELLED)

    with pytest.raises(ValidationError):
        services.invite_enterprise(process=process, enterprise=EnterpriseFactory())


def test_a_duplicate_invitation_is_refused(organization):
    invitation = InvitationFactory(process__organization=organization)

    with pytest.raises(ValidationError) as refused:
        services.invite_enterprise(
            process=invitation.process,
            enterprise=invitation.enterprise,
            invited_on=dt.date(2025, 2, 2),
        )

    assert "déjà invitée" in refused.value.messages[0]
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(
    ("closing_on", "invited_on"),
    [
        (None, dt.date(2025, 1, 14)),
        (dt.date(2025, 2, 10), dt.date(2025, 2, 11)),
        (None, dt.date(2025, 3, 2)),
    ],
    ids=["before publication", "after closing", "after the award"],
)
def test_an_invitation_out_of_the_process_dates_is_refused(organization, closing_on, invited_on):
    process = ProcessFactory(organization=organization, closing_on=closing_on)
    AwardFactory(process=process, awarded_on=dt.date(2025, 3, 1))

    with pytest.raises(ValidationError) as refused:
        services.invite_enterprise(
            process=process, enterprise=EnterpriseFactory(), invited_on=invited_on
        )

    assert "invited_on" in refused.value.message_dict
    assert not Invitation.objects.exists()


def test_an_invitation_on_an_awarded_process_loaded_from_history_is_accepted(organization):
    process = ProcessFactory(organization=organization, status=Status.AWARDED)
    AwardFactory(process=process, awarded_on=dt.date(2025, 3, 1))

    invitation = services.invite_enterprise(
        process=process, enterprise=EnterpriseFactory(), invited_on=dt.date(2025, 2, 1)
    )

    assert invitation.pk


def test_a_response_is_recorded_and_cannot_precede_the_invitation(organization):
    invitation = InvitationFactory(process__organization=organization)

    with pytest.raises(ValidationError):
        services.respond_to_invitation(
            invitation=invitation, response="interested", responded_on=dt.date(2025, 1, 1)
        )
    with pytest.raises(ValidationError):
        services.respond_to_invitation(invitation=invitation, response="maybe")
    services.respond_to_invitation(
        invitation=invitation, response="interested", responded_on=dt.date(2025, 2, 3)
    )

    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.INTERESTED
    assert invitation.responded_on == dt.date(2025, 2, 3)


def test_an_invitation_stays_on_record_once_the_enterprise_has_bid(organization):
    invitation = InvitationFactory(process__organization=organization)
    BidFactory(process=invitation.process, enterprise=invitation.enterprise)

    with pytest.raises(ValidationError):
        services.remove_invitation(invitation=invitation)
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_a_mistaken_invitation_can_be_removed(organization):
    invitation = InvitationFactory(process__organization=organization)

    services.remove_invitation(invitation=invitation)

    assert not Invitation.objects.exists()


# --- bids ------------------------------------------------------------------------------------


def record(process, enterprise, **fields):
    defaults = {"submitted_on": dt.date(2025, 2, 15), "amount": D("30000.00")}
    return services.record_bid(process=process, enterprise=enterprise, **(defaults | fields))


def test_an_invited_supplier_bids_on_an_invitation_tender(organization, officer):
    invitation = InvitationFactory(process__organization=organization)

    bid = record(invitation.process, invitation.enterprise, by=officer)

    assert bid.status == Bid.Status.RECEIVED
    assert bid.amount == D("30000.00")
    assert bid.created_by == officer


def test_a_supplier_that_was_not_invited_cannot_bid_on_an_invitation_tender(organization):
    process = ProcessFactory(organization=organization)

    with pytest.raises(ValidationError) as refused:
        record(process, EnterpriseFactory())

    assert "invité" in refused.value.messages[0]
    assert not Bid.objects.exists()


def test_anyone_may_bid_on_a_public_tender(organization):
    process = ProcessFactory(organization=organization, method=Method.OPEN)

    assert record(process, EnterpriseFactory(supplier_only=True)).pk


@pytest.mark.parametrize(
    "submitted_on",
    [dt.date(2025, 1, 10), dt.date(2025, 1, 31), dt.date(2025, 3, 2)],
    ids=["before publication", "before the invitation", "after the award"],
)
def test_a_bid_out_of_the_process_dates_is_refused(organization, submitted_on):
    invitation = InvitationFactory(process__organization=organization)
    AwardFactory(process=invitation.process, awarded_on=dt.date(2025, 3, 1))

    with pytest.raises(ValidationError) as refused:
        record(invitation.process, invitation.enterprise, submitted_on=submitted_on)

    assert "submitted_on" in refused.value.message_dict


def test_a_cancelled_award_does_not_close_the_bidding(organization):
    invitation = InvitationFactory(process__organization=organization)
    AwardFactory(
        process=invitation.process, awarded_on=dt.date(2025, 2, 1), status=Award.Status.CANCELLED
    )

    assert record(invitation.process, invitation.enterprise).pk


def test_one_bid_per_supplier_per_process(organization):
    bid = BidFactory(process__organization=organization, process__method=Method.OPEN)

    with pytest.raises(ValidationError):
        record(bid.process, bid.enterprise)
    assert Bid.objects.count() == 1


def test_no_bid_on_a_cancelled_process(organization):
    process = ProcessFactory(organization=organization, method=Method.OPEN, status=Status.CANCELLED)

    with pytest.raises(ValidationError):
        record(process, EnterpriseFactory())


@pytest.mark.parametrize("amount", [D("-0.01"), D("1000000000.00"), D("1.001")])
def test_a_bid_amount_must_be_a_sensible_sum_in_cents(organization, amount):
    process = ProcessFactory(organization=organization, method=Method.OPEN)

    with pytest.raises(ValidationError) as refused:
        record(process, EnterpriseFactory(), amount=amount)

    assert "amount" in refused.value.message_dict


def test_a_winning_bid_cannot_be_withdrawn_until_its_award_is_cancelled(organization):
    bid = BidFactory(process__organization=organization, status=Bid.Status.COMPLIANT)
    award = AwardFactory(process=bid.process, enterprise=bid.enterprise, bid=bid)

    with pytest.raises(ValidationError):
        services.change_bid_status(bid=bid, status=Bid.Status.WITHDRAWN)
    services.cancel_award(award=award)
    services.change_bid_status(bid=bid, status=Bid.Status.WITHDRAWN)

    bid.refresh_from_db()
    assert bid.status == Bid.Status.WITHDRAWN


# --- awards ----------------------------------------------------------------------------------


def award(process, enterprise, **fields):
    defaults = {"awarded_on": dt.date(2025, 3, 1), "amount": D("30000.00")}
    return services.award_contract(process=process, enterprise=enterprise, **(defaults | fields))


def test_an_award_closes_and_awards_an_open_process(organization, officer):
    process = ProcessFactory(organization=organization, status=Status.OPEN)

    recorded = award(process, EnterpriseFactory(), amount=D("12345.67"), by=officer)

    process.refresh_from_db()
    assert process.status == Status.AWARDED
    assert list(process.history.values_list("status", flat=True)[:2]) == ["awarded", "closed"]
    assert recorded.organization == organization
    assert recorded.amount == D("12345.67")
    assert recorded.created_by == officer


def test_a_process_holds_several_awards_one_per_lot(organization):
    process = ProcessFactory(organization=organization, status=Status.CLOSED)

    award(process, EnterpriseFactory(), contract_number="LOT-1")
    award(process, EnterpriseFactory(), contract_number="LOT-2")

    assert process.awards.count() == 2


def test_a_supplier_that_is_not_an_ees_is_recorded_too(organization):
    process = ProcessFactory(organization=organization, method=Method.OPEN)
    supplier = services.find_or_create_supplier(name="Bureau en gros ltée", neq="1140 000 999")

    recorded = award(process, supplier)

    assert recorded.enterprise.neq == "1140000999"
    assert recorded.enterprise.status == Enterprise.Status.NOT_SUBMITTED
    assert not recorded.enterprise.is_published


def test_no_award_on_a_cancelled_process(organization):
    process = ProcessFactory(organization=organization, status=Status.CANCELLED)

    with pytest.raises(ValidationError) as refused:
        award(process, EnterpriseFactory())

    assert "annulé" in refused.value.messages[0]
    assert not Award.objects.exists()


@pytest.mark.parametrize("amount", [D("-5"), D("1000000000"), D("0.001")])
def test_an_award_amount_must_be_a_sensible_sum_in_cents(organization, amount):
    process = ProcessFactory(organization=organization)

    with pytest.raises(ValidationError) as refused:
        award(process, EnterpriseFactory(), amount=amount)

    assert "amount" in refused.value.message_dict
    process.refresh_from_db()
    assert process.status == Status.OPEN  # nothing half-saved


def test_an_award_cannot_precede_the_publication(organization):
    process = ProcessFactory(organization=organization)

    with pytest.raises(ValidationError) as refused:
        award(process, EnterpriseFactory(), awarded_on=dt.date(2025, 1, 1))

    assert "awarded_on" in refused.value.message_dict


def test_a_winning_bid_must_be_the_suppliers_bid_on_the_process(organization):
    bid = BidFactory(process__organization=organization)

    with pytest.raises(ValidationError) as refused:
        award(bid.process, EnterpriseFactory(), bid=bid)

    assert "bid" in refused.value.message_dict


def test_a_withdrawn_bid_cannot_win(organization):
    bid = BidFactory(process__organization=organization, status=Bid.Status.WITHDRAWN)

    with pytest.raises(ValidationError):
        award(bid.process, bid.enterprise, bid=bid)


def test_a_bid_wins_once_until_its_award_is_cancelled(organization):
    bid = BidFactory(process__organization=organization)
    first = award(bid.process, bid.enterprise, bid=bid)

    with pytest.raises(ValidationError):
        award(bid.process, bid.enterprise, bid=bid)
    services.cancel_award(award=first)
    second = award(bid.process, bid.enterprise, bid=bid)

    assert second.bid == bid


def test_an_award_cannot_precede_its_winning_bid(organization):
    bid = BidFactory(process__organization=organization, submitted_on=dt.date(2025, 2, 15))

    with pytest.raises(ValidationError) as refused:
        award(bid.process, bid.enterprise, bid=bid, awarded_on=dt.date(2025, 2, 1))

    assert "awarded_on" in refused.value.message_dict


def test_a_cancelled_award_stays_on_record_and_cannot_be_cancelled_twice(organization):
    recorded = AwardFactory(process__organization=organization)

    services.cancel_award(award=recorded)
    with pytest.raises(ValidationError):
        services.cancel_award(award=recorded)

    recorded.refresh_from_db()
    assert recorded.status == Award.Status.CANCELLED


def test_only_a_pending_award_is_activated(organization):
    pending = AwardFactory(process__organization=organization, status=Award.Status.PENDING)

    services.activate_award(award=pending)
    with pytest.raises(ValidationError):
        services.activate_award(award=pending)

    pending.refresh_from_db()
    assert pending.status == Award.Status.ACTIVE


def test_an_award_recorded_as_cancelled_leaves_the_process_status_alone(organization):
    process = ProcessFactory(organization=organization, status=Status.CLOSED)

    award(process, EnterpriseFactory(), status=Award.Status.CANCELLED)

    process.refresh_from_db()
    assert process.status == Status.CLOSED


def test_an_award_is_corrected_but_not_once_cancelled(organization, officer):
    recorded = AwardFactory(process__organization=organization)

    services.update_award(
        award=recorded, by=officer, changes={"amount": D("31000.10"), "contract_number": "C-9"}
    )
    recorded.refresh_from_db()
    assert recorded.amount == D("31000.10")
    assert recorded.history.first().history_user == officer

    services.cancel_award(award=recorded)
    with pytest.raises(ValidationError):
        services.update_award(award=recorded, changes={"amount": D("1")})


def test_the_quick_direct_award_creates_its_process_and_numbers_it(organization):
    first = services.log_direct_award(
        organization=organization,
        enterprise=EnterpriseFactory(),
        title="Pauses-café",
        amount=D("800.00"),
        awarded_on=dt.date(2025, 5, 1),
    )
    second = services.log_direct_award(
        organization=organization,
        enterprise=EnterpriseFactory(),
        title="Buffet",
        amount=D("900.00"),
        awarded_on=dt.date(2025, 5, 2),
    )

    assert first.process.method == Method.DIRECT
    assert first.process.status == Status.AWARDED
    assert (first.process.reference, second.process.reference) == ("GG-2025-0001", "GG-2025-0002")


@pytest.mark.parametrize("in_bulk", [False, True], ids=["per-award", "in-bulk"])
def test_relationship_flags_follow_the_indicator_definitions(organization, in_bulk):
    enterprise = EnterpriseFactory()
    activity = ActivityFactory(date=dt.date(2025, 1, 20))
    BusinessContactFactory(organization=organization, enterprise=enterprise, activity=activity)
    cancelled_earlier = AwardFactory(
        process__organization=organization,
        enterprise=enterprise,
        awarded_on=dt.date(2024, 12, 1),
        status=Award.Status.CANCELLED,
    )
    first = AwardFactory(
        process__organization=organization, enterprise=enterprise, awarded_on=dt.date(2025, 3, 1)
    )
    same_day = AwardFactory(
        process__organization=organization, enterprise=enterprise, awarded_on=dt.date(2025, 3, 1)
    )
    later = AwardFactory(
        process__organization=organization, enterprise=enterprise, awarded_on=dt.date(2025, 6, 1)
    )
    before_contact = AwardFactory(
        process__organization=organization,
        enterprise=EnterpriseFactory(),
        awarded_on=dt.date(2025, 1, 1),
    )
    # A contact at another kind of activity, or with another organization, does not count.
    met_elsewhere = EnterpriseFactory()
    other = ActivityFactory(date=dt.date(2025, 1, 5), kind=Activity.Kind.TRAINING)
    BusinessContactFactory(organization=organization, enterprise=met_elsewhere, activity=other)
    BusinessContactFactory(enterprise=met_elsewhere, activity=activity)
    not_after = AwardFactory(
        process__organization=organization, enterprise=met_elsewhere, awarded_on=dt.date(2025, 4, 1)
    )

    awards = Award.objects.active().with_relationship_flags(in_bulk=in_bulk)
    flags = {award.pk: (award.is_new_relationship, award.follows_matchmaking) for award in awards}

    assert cancelled_earlier.pk not in flags
    assert flags[first.pk] == (True, True)  # the cancelled award does not make it a repeat
    assert flags[same_day.pk] == (False, True)  # same day: created later
    assert flags[later.pk] == (False, True)
    assert flags[before_contact.pk] == (True, False)
    assert flags[not_after.pk] == (True, False)


# --- suppliers -------------------------------------------------------------------------------


def test_a_supplier_is_found_by_neq_then_by_exact_name(db):
    by_neq = EnterpriseFactory(neq="1140000101", name="Coop A")
    by_name = EnterpriseFactory(neq=None, name="Traiteur B")

    assert services.find_or_create_supplier(name="Autre nom", neq="1140000101") == by_neq
    assert services.find_or_create_supplier(name="Traiteur B") == by_name
    assert Enterprise.objects.count() == 2


def test_an_invalid_neq_is_refused(db):
    with pytest.raises(ValidationError) as refused:
        services.find_or_create_supplier(name="X", neq="12345")

    assert "neq" in refused.value.message_dict


# --- business contacts -----------------------------------------------------------------------


def test_a_contact_at_an_activity_cannot_precede_it(organization, officer):
    activity = ActivityFactory(date=dt.date(2025, 1, 20))

    with pytest.raises(ValidationError) as refused:
        services.record_business_contact(
            organization=organization,
            enterprise=EnterpriseFactory(),
            date=dt.date(2025, 1, 19),
            activity=activity,
        )
    contact = services.record_business_contact(
        organization=organization,
        enterprise=EnterpriseFactory(),
        date=dt.date(2025, 1, 20),
        activity=activity,
        by=officer,
    )

    assert "date" in refused.value.message_dict
    assert contact.created_by == officer
    assert BusinessContact.objects.count() == 1


def test_a_contact_is_updated_with_the_same_rules(organization):
    contact = BusinessContactFactory(organization=organization, date=dt.date(2025, 1, 25))
    activity = ActivityFactory(date=dt.date(2025, 1, 22))

    services.update_business_contact(contact=contact, changes={"activity": activity})
    with pytest.raises(ValidationError):
        services.update_business_contact(contact=contact, changes={"date": dt.date(2025, 1, 21)})

    contact.refresh_from_db()
    assert contact.activity == activity
    assert contact.date == dt.date(2025, 1, 25)


# --- annual needs ----------------------------------------------------------------------------


def test_publishing_an_annual_need_stamps_its_publication(organization, officer):
    need = services.create_annual_need(
        organization=organization, by=officer, fiscal_year=2026, title="Traiteur"
    )
    assert need.published_at is None

    need = services.update_annual_need(need=need, changes={"is_published": True})
    assert need.published_at is not None

    need = services.update_annual_need(need=need, changes={"is_published": False})
    assert need.published_at is None
