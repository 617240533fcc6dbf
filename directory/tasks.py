"""E-mails of the directory, sent by the worker (each task takes ids and owns its retries),
and the upkeep of the facet tally."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from directory.models import Enterprise
from directory.tally import compact_facet_tally as compact

# Representatives write French first; the e-mails follow the portal's default language.
EMAIL_LANGUAGE = "fr-ca"


def _send(template: str, context: dict, recipients: list[str]) -> None:
    with translation.override(EMAIL_LANGUAGE):
        subject = render_to_string(f"directory/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"directory/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, recipients)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_status_decision(enterprise_id: int) -> int:
    """E-mail the enterprise's representatives the coordinator's decision on its status."""
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is None:
        return 0
    recipients = list(
        enterprise.representatives.filter(is_approved=True).values_list("user__email", flat=True)
    )
    if not recipients:
        return 0
    _send("status_decision", {"enterprise": enterprise}, recipients)
    return len(recipients)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_signup_confirmation(user_id: int, site_url: str, already_registered: bool) -> int:
    """E-mail the confirmation link of a new account (or a reminder for a known address)."""
    from directory.services import signup_token_generator

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return 0
    context = {"user": user, "site_url": site_url.rstrip("/")}
    if already_registered and user.is_active:
        context["login_url"] = context["site_url"] + reverse("accounts:login")
        context["reset_url"] = context["site_url"] + reverse("accounts:password_reset")
        _send("signup_known_address", context, [user.email])
        return 1
    path = reverse(
        "directory:signup-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": signup_token_generator.make_token(user),
        },
    )
    context["confirm_url"] = context["site_url"] + path
    _send("signup_confirmation", context, [user.email])
    return 1


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_join_decision(user_id: int, enterprise_id: int, approved: bool) -> int:
    """Tell a user whether a coordinator approved their request to represent an enterprise."""
    user = get_user_model().objects.filter(pk=user_id).first()
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if user is None or enterprise is None:
        return 0
    _send(
        "join_decision",
        {"user": user, "enterprise": enterprise, "approved": approved},
        [user.email],
    )
    return 1


@shared_task
def compact_facet_tally() -> int:
    """Sum the facet tally's rows per key (directory.tally): run by the beat, so that what
    the directory's writers added since stays a few rows."""
    return compact()
