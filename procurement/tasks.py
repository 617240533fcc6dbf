from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from procurement.models import Invitation


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
    with translation.override("fr-ca"):
        context = {"invitation": invitation, "process": invitation.process}
        subject = render_to_string("procurement/email/invitation_subject.txt", context).strip()
        body = render_to_string("procurement/email/invitation.txt", context)
    send_mail(subject, body, None, sorted(recipients))
    return len(recipients)
