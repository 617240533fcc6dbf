from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from directory.models import Enterprise


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
    with translation.override("fr-ca"):
        subject = render_to_string(
            "directory/email/status_decision_subject.txt", {"enterprise": enterprise}
        ).strip()
        body = render_to_string("directory/email/status_decision.txt", {"enterprise": enterprise})
    send_mail(subject, body, None, recipients)
    return len(recipients)
