"""The EÉS's own page: its invitations (with answer buttons), bids, awards and the digest."""

import pytest
from django.urls import reverse

from procurement.models import Invitation, NeedsDigestSubscription
from tests.factories import (
    AwardFactory,
    BidFactory,
    EnterpriseFactory,
    InvitationFactory,
    RepresentativeFactory,
)
from tests.procurement.factories_pages import page_text

pytestmark = pytest.mark.django_db

MINE = reverse("procurement:my-invitations")


@pytest.fixture
def enterprise():
    return EnterpriseFactory(name="Coop Les Jardins")


@pytest.fixture
def representative(enterprise):
    return RepresentativeFactory(enterprise=enterprise, user__email="rep@jardins.example").user


def test_a_representative_sees_the_enterprises_invitations_bids_and_awards(
    client, representative, enterprise, organization
):
    InvitationFactory(
        process__organization=organization,
        process__title="Paysagement des parcs",
        enterprise=enterprise,
    )
    BidFactory(process__title="Entretien des plates-bandes", enterprise=enterprise)
    AwardFactory(process__title="Fleurs de l'hôtel de ville", enterprise=enterprise)
    InvitationFactory(process__title="Invitation d'une autre coop")
    client.force_login(representative)

    html = page_text(client.get(MINE))

    assert "Mes invitations, soumissions et contrats" in html
    assert "Paysagement des parcs" in html
    assert "Ville de Longueuil" in html
    assert "Entretien des plates-bandes" in html
    assert "Fleurs de l'hôtel de ville" in html
    assert "Invitation d'une autre coop" not in html
    assert "Je suis intéressée" in html


def test_a_representative_answers_an_invitation(client, representative, enterprise):
    invitation = InvitationFactory(enterprise=enterprise)
    client.force_login(representative)

    response = client.post(
        reverse("procurement:invitation-respond", args=[invitation.pk]),
        {"response": "interested"},
        follow=True,
    )

    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.INTERESTED
    assert invitation.responded_on is not None
    assert "Votre réponse a été transmise à l'organisation." in page_text(response)


def test_an_unknown_answer_is_refused(client, representative, enterprise):
    invitation = InvitationFactory(enterprise=enterprise)
    client.force_login(representative)

    response = client.post(
        reverse("procurement:invitation-respond", args=[invitation.pk]),
        {"response": "maybe"},
        follow=True,
    )

    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.NONE
    assert "Choisissez « intéressée » ou « déclinée »." in page_text(response)


def test_nobody_answers_for_another_enterprise(client, representative, officer):
    invitation = InvitationFactory()
    url = reverse("procurement:invitation-respond", args=[invitation.pk])

    for user in (representative, officer):
        client.force_login(user)
        assert client.post(url, {"response": "declined"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.NONE


def test_a_user_who_represents_no_enterprise_is_told_so(client, stranger):
    client.force_login(stranger)

    assert "Vous ne représentez pas encore d'entreprise." in page_text(client.get(MINE))


def test_an_unapproved_representative_sees_nothing(client, enterprise):
    pending = RepresentativeFactory(enterprise=enterprise, is_approved=False).user
    InvitationFactory(enterprise=enterprise, process__title="Paysagement des parcs")
    client.force_login(pending)

    assert "Paysagement des parcs" not in page_text(client.get(MINE))


def test_a_representative_subscribes_to_the_needs_digest_and_stops_it(
    client, representative, enterprise
):
    client.force_login(representative)
    url = reverse("procurement:digest-subscription")

    response = client.post(url, {"enterprise": enterprise.pk, "subscribe": "1"}, follow=True)

    assert NeedsDigestSubscription.objects.filter(user=representative, enterprise=enterprise)
    assert "Coop Les Jardins : abonnement actif." in page_text(response)
    client.post(url, {"enterprise": enterprise.pk, "subscribe": "0"})
    assert not NeedsDigestSubscription.objects.exists()


def test_subscribing_twice_keeps_one_subscription(client, representative, enterprise):
    client.force_login(representative)
    url = reverse("procurement:digest-subscription")

    client.post(url, {"enterprise": enterprise.pk, "subscribe": "1"})
    client.post(url, {"enterprise": enterprise.pk, "subscribe": "1"})

    assert NeedsDigestSubscription.objects.count() == 1


def test_nobody_subscribes_for_an_enterprise_they_do_not_represent(client, officer, enterprise):
    client.force_login(officer)

    response = client.post(
        reverse("procurement:digest-subscription"), {"enterprise": enterprise.pk, "subscribe": "1"}
    )

    assert response.status_code == 403
    assert not NeedsDigestSubscription.objects.exists()


def test_the_page_needs_a_login(client):
    assert client.get(MINE).status_code == 302
