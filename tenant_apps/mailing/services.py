"""Queue an email in the outbox (inside the caller's transaction) and deliver it."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from tenant_apps.mailing.models import OutboundEmail
from tenants.jobs import enqueue_for_town

logger = logging.getLogger(__name__)


def queue_email(key, to, template, context):
    """Write the email now; a job sends it once the transaction commits. The same key
    is queued once only. `template` renders the subject on its first line, then the body."""
    subject, _, body = render_to_string(template, context).strip().partition("\n")
    email, created = OutboundEmail.objects.get_or_create(
        key=key, defaults={"to": to, "subject": subject.strip()[:255], "body": body.strip()}
    )
    if created:
        enqueue_for_town(deliver, email.pk, queue="emails")
    return email


def deliver(email_id):
    """Send one queued email unless it already went out (safe to run twice)."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.sent_at:
            return False
        email.attempts += 1
        try:
            EmailMessage(
                subject=email.subject,
                body=email.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email.to],
                headers={"X-BoursOloco-Town": connection.schema_name},
            ).send()
        except Exception as error:  # noqa: BLE001 — recorded, retried by deliver_pending
            email.last_error = f"{type(error).__name__}: {error}"[:1000]
            email.save(update_fields=["attempts", "last_error"])
            logger.warning("Courriel %s non envoyé : %s", email.pk, email.last_error)
            return False
        email.sent_at = timezone.now()
        email.save(update_fields=["attempts", "sent_at", "last_error"])
        return True


def deliver_pending(max_attempts=10):
    """Periodic catch-up: send what a lost job or an unreachable relay left behind."""
    ids = list(
        OutboundEmail.objects.pending()
        .filter(attempts__lt=max_attempts, created_at__lt=timezone.now() - timedelta(minutes=1))
        .values_list("pk", flat=True)[:500]
    )
    return sum(deliver(pk) for pk in ids)
