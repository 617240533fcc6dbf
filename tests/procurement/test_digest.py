"""The daily e-mail of newly published needs matching an EÉS's offerings (opt-in)."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from procurement.tasks import send_needs_digest, send_needs_digests
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    OfferingFactory,
    RepresentativeFactory,
)
from tests.procurement.factories_pages import AnnualNeedFactory, NeedsDigestSubscriptionFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def catering():
    parent = CategoryFactory(slug="alimentation", name_fr="Alimentation")
    return CategoryFactory(slug="traiteur", name_fr="Traiteur", parent=parent)


@pytest.fixture
def subscription(catering):
    enterprise = EnterpriseFactory(name="Coop Festin")
    OfferingFactory(enterprise=enterprise, category=catering)
    user = RepresentativeFactory(enterprise=enterprise, user__email="rep@festin.example").user
    subscription = NeedsDigestSubscriptionFactory(user=user, enterprise=enterprise)
    subscription.last_sent_at = NOW - dt.timedelta(days=1)
    subscription.save()
    return subscription


def need(category, title, published_hours_ago=2, **kwargs):
    return AnnualNeedFactory(
        category=category,
        title=title,
        published_at=NOW - dt.timedelta(hours=published_hours_ago),
        **kwargs,
    )


def test_a_subscriber_gets_one_email_with_every_new_matching_need(
    subscription, catering, organization
):
    need(catering, "Traiteur des camps de jour", organization=organization)
    need(catering.parent, "Alimentation des CPE")  # the parent category matches
    need(CategoryFactory(slug="imprimerie"), "Impression du bulletin")

    sent = send_needs_digest(subscription.pk)

    assert sent == 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rep@festin.example"]
    assert message.subject == "2 nouveaux besoins annuels correspondent à votre offre"
    assert "Traiteur des camps de jour — Ville de Longueuil" in message.body
    assert "Alimentation des CPE" in message.body
    assert "Impression du bulletin" not in message.body
    assert "/approvisionnement/besoins/" in message.body
    subscription.refresh_from_db()
    assert subscription.last_sent_at > NOW - dt.timedelta(minutes=1)


def test_a_need_for_a_subcategory_matches_an_offering_in_its_parent(catering, organization):
    enterprise = EnterpriseFactory()
    OfferingFactory(enterprise=enterprise, category=catering.parent)
    user = RepresentativeFactory(enterprise=enterprise).user
    subscription = NeedsDigestSubscriptionFactory(user=user, enterprise=enterprise)
    need(catering, "Traiteur des fêtes")

    assert send_needs_digest(subscription.pk) == 1


def test_needs_already_sent_unpublished_or_of_a_sibling_category_are_not_sent(
    subscription, catering
):
    need(catering, "Besoin déjà envoyé", published_hours_ago=30)
    need(catering, "Besoin retiré", is_published=False)
    sibling = CategoryFactory(slug="cafeteria", parent=catering.parent)
    need(sibling, "Cafétéria")

    assert send_needs_digest(subscription.pk) == 0
    assert mail.outbox == []


def test_at_most_one_digest_a_day(subscription, catering):
    need(catering, "Traiteur des camps de jour")
    send_needs_digest(subscription.pk)
    need(catering, "Traiteur du gala", published_hours_ago=0)

    assert send_needs_digest(subscription.pk) == 0
    assert len(mail.outbox) == 1


def test_no_new_need_means_no_email(subscription):
    assert send_needs_digest(subscription.pk) == 0
    assert mail.outbox == []


def test_a_user_no_longer_representing_the_enterprise_gets_nothing(subscription, catering):
    subscription.enterprise.representatives.update(is_approved=False)
    need(catering, "Traiteur des camps de jour")

    assert send_needs_digest(subscription.pk) == 0
    assert mail.outbox == []


def test_a_first_digest_covers_the_day_before_the_subscription_not_the_whole_past(catering):
    enterprise = EnterpriseFactory()
    OfferingFactory(enterprise=enterprise, category=catering)
    user = RepresentativeFactory(enterprise=enterprise).user
    subscription = NeedsDigestSubscriptionFactory(user=user, enterprise=enterprise)
    need(catering, "Vieux besoin", published_hours_ago=24 * 30)
    need(catering, "Besoin d'hier", published_hours_ago=10)

    assert send_needs_digest(subscription.pk) == 1
    assert "Vieux besoin" not in mail.outbox[0].body


def test_the_daily_task_queues_one_digest_per_subscription(subscription, catering):
    other = NeedsDigestSubscriptionFactory()
    need(catering, "Traiteur des camps de jour")

    assert send_needs_digests() == 2
    assert len(mail.outbox) == 1  # the other subscription has nothing to receive
    other.refresh_from_db()
    assert other.last_sent_at is None


def test_a_deleted_subscription_is_skipped():
    assert send_needs_digest(987654) == 0
