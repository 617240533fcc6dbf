"""E-mails of procurement: the invitation to an EÉS, in French, with where to answer."""

import datetime as dt

import pytest
from django.core import mail

from procurement import services
from procurement.tasks import notify_invitation
from tests.factories import (
    EnterpriseFactory,
    InvitationFactory,
    ProcessFactory,
    RepresentativeFactory,
)

pytestmark = pytest.mark.django_db


def test_the_invitation_email_is_in_french_and_says_where_to_answer(organization, settings):
    settings.SITE_URL = "https://portail.example"
    enterprise = EnterpriseFactory(name="Coop Festin", email="bonjour@festin.example")
    RepresentativeFactory(enterprise=enterprise, user__email="rep@festin.example")
    RepresentativeFactory(
        enterprise=enterprise, user__email="pending@festin.example", is_approved=False
    )
    invitation = InvitationFactory(
        process=ProcessFactory(
            organization=organization,
            title="Traiteur du gala",
            reference="AO-2026-007",
            closing_on=dt.date(2026, 3, 20),
        ),
        enterprise=enterprise,
    )

    assert notify_invitation(invitation.pk) == 2

    message = mail.outbox[0]
    assert message.subject == "Invitation de Ville de Longueuil (AO-2026-007)"
    assert sorted(message.to) == ["bonjour@festin.example", "rep@festin.example"]
    assert "Ville de Longueuil vous invite à déposer une soumission pour : Traiteur du gala." in (
        message.body
    )
    assert "se termine le 20 mars 2026" in message.body
    assert "https://portail.example/approvisionnement/mes-invitations/" in message.body


def test_an_enterprise_without_any_address_gets_no_email():
    invitation = InvitationFactory(enterprise=EnterpriseFactory(email=""))

    assert notify_invitation(invitation.pk) == 0
    assert mail.outbox == []


def test_inviting_through_the_service_emails_after_the_commit(
    organization, officer, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    process = ProcessFactory(organization=organization, published_on=timezone.localdate())
    enterprise = EnterpriseFactory(email="bonjour@festin.example")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invite_enterprise(process=process, enterprise=enterprise, by=officer)
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 1


def test_a_deleted_invitation_sends_nothing():
    assert notify_invitation(987654) == 0
