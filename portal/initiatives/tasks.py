"""E-mails to applicants, sent by the worker; each task takes ids and owns its retries."""

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from portal.initiatives.models import Application

# Applicants write French first; the e-mails follow the portal's default language.
EMAIL_LANGUAGE = "fr-ca"


def _recipients(application: Application) -> list[str]:
    """The person who applied and every approved representative of the enterprise."""
    emails = set(
        application.enterprise.representatives.filter(is_approved=True).values_list(
            "user__email", flat=True
        )
    )
    if application.submitted_by_id:
        emails.add(application.submitted_by.email)
    return sorted(emails)


def _send(template: str, application: Application) -> int:
    recipients = _recipients(application)
    if not recipients:
        return 0
    context = {
        "application": application,
        "call": application.call,
        "cohort": application.call.cohort,
        "enterprise": application.enterprise,
    }
    with translation.override(EMAIL_LANGUAGE):
        subject = render_to_string(f"initiatives/email/{template}_subject.txt", context)
        body = render_to_string(f"initiatives/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, recipients)
    return len(recipients)


def _application(application_id: int) -> Application | None:
    return (
        Application.objects.select_related("enterprise", "submitted_by", "call__cohort__initiative")
        .filter(pk=application_id)
        .first()
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_application_received(application_id: int) -> int:
    """Acknowledge an application to the enterprise's representatives."""
    application = _application(application_id)
    return _send("application_received", application) if application else 0


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_application_decision(application_id: int) -> int:
    """Tell the enterprise's representatives whether the coordinator kept the application."""
    application = _application(application_id)
    return _send("application_decision", application) if application else 0
