"""E-mails of procurement, sent by the worker; each task takes ids and owns its retries."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from procurement.models import Invitation, NeedsDigestSubscription

# Representatives read French first; the e-mails follow the portal's default language.
EMAIL_LANGUAGE = "fr-ca"
# Beat runs the digest daily; a second run the same day (a restart, a retry) sends nothing.
DIGEST_MIN_INTERVAL = dt.timedelta(hours=20)
# A first digest covers the day before the subscription, not the whole history.
FIRST_DIGEST_LOOKBACK = dt.timedelta(days=1)


def _absolute(path: str) -> str:
    """A link for an e-mail; SITE_URL (when set) makes it absolute."""
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _send(template: str, context: dict, recipients: list[str]) -> None:
    with translation.override(EMAIL_LANGUAGE):
        url = _absolute(reverse("procurement:my-invitations"))
        context = {**context, "my_invitations_url": url}
        subject = render_to_string(f"procurement/email/{template}_subject.txt", context)
        body = render_to_string(f"procurement/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, recipients)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_invitation(invitation_id: int) -> int:
    """E-mail an invited enterprise's representatives (and its public address)."""
    invitation = (
        Invitation.objects.select_related("process__organization", "enterprise")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return 0
    enterprise = invitation.enterprise
    recipients = set(
        enterprise.representatives.filter(is_approved=True).values_list("user__email", flat=True)
    )
    if enterprise.email:
        recipients.add(enterprise.email)
    if not recipients:
        return 0
    context = {"invitation": invitation, "process": invitation.process}
    _send("invitation", context, sorted(recipients))
    return len(recipients)


@shared_task
def send_needs_digests() -> int:
    """Daily (beat): queue one digest per subscription; each is sent and retried on its own."""
    ids = list(NeedsDigestSubscription.objects.values_list("pk", flat=True))
    for subscription_id in ids:
        send_needs_digest.delay(subscription_id)
    return len(ids)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_needs_digest(subscription_id: int) -> int:
    """E-mail one representative the needs published since their last digest that match their
    enterprise's offerings; returns the number of needs sent (0: no e-mail)."""
    from procurement.services_pages import mark_digest_sent

    subscription = (
        NeedsDigestSubscription.objects.select_related("user", "enterprise")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None or not subscription.user.is_active:
        return 0
    enterprise = subscription.enterprise
    if not enterprise.representatives.filter(user=subscription.user, is_approved=True).exists():
        return 0  # no longer speaks for the enterprise
    now = timezone.now()
    if subscription.last_sent_at and now - subscription.last_sent_at < DIGEST_MIN_INTERVAL:
        return 0
    since = subscription.last_sent_at or min(
        subscription.created_at - FIRST_DIGEST_LOOKBACK, now - FIRST_DIGEST_LOOKBACK
    )
    needs = list(subscription.matching_needs(since=since).filter(published_at__lte=now))
    if not needs:
        return 0
    context = {
        "enterprise": enterprise,
        "user": subscription.user,
        "needs": [
            {"need": need, "url": _absolute(reverse("procurement:need-detail", args=[need.pk]))}
            for need in needs
        ],
        "count": len(needs),
    }
    _send("needs_digest", context, [subscription.user.email])
    mark_digest_sent(subscription=subscription, at=now)
    return len(needs)
