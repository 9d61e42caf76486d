"""Queue an email in the outbox (inside the caller's transaction) and deliver it."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from tenant_apps.mailing.models import OutboundEmail
from tenants.jobs import enqueue_for_town

logger = logging.getLogger(__name__)


BATCH = 100


def render_email(key, to, template, context, headers=None):
    """An unsaved OutboundEmail; `template` renders the subject on its first line, then
    the body."""
    subject, _, body = render_to_string(template, context).strip().partition("\n")
    return OutboundEmail(
        key=key, to=to, subject=subject.strip()[:255], body=body.strip(), headers=headers or {}
    )


def queue_email(key, to, template, context, headers=None, job=True):
    """Write the email now; a job sends it once the transaction commits (job=False: the
    caller, itself a job, sends it after its commit). The same key is queued once only."""
    draft = render_email(key, to, template, context, headers)
    email, created = OutboundEmail.objects.get_or_create(
        key=key,
        defaults={name: getattr(draft, name) for name in ("to", "subject", "body", "headers")},
    )
    if created and job:
        enqueue_for_town(deliver, email.pk, queue="emails")
    return email


def queue_emails(drafts):
    """Write many rendered emails at once (a fan-out); jobs send them by batches once
    the transaction commits. A key already in the outbox fails the whole transaction."""
    created = OutboundEmail.objects.bulk_create(drafts)
    ids = [email.pk for email in created]
    for start in range(0, len(ids), BATCH):
        enqueue_for_town(deliver_batch, ids[start : start + BATCH], queue="emails")
    return created


def deliver_batch(email_ids):
    """Send several queued emails over one connection to the relay. If the relay cannot
    be reached, each email records why, once, and deliver_pending retries them later (no
    second wait for a relay that just timed out)."""
    relay = get_connection()
    try:
        relay.open()
    except Exception as error:  # noqa: BLE001 — recorded, retried by deliver_pending
        reason = f"{type(error).__name__}: {error}"[:1000]
        OutboundEmail.objects.pending().filter(pk__in=email_ids).update(
            attempts=F("attempts") + 1, last_error=reason
        )
        logger.warning(
            "Relais de courriel injoignable, %s courriels en attente : %s", len(email_ids), reason
        )
        return 0
    try:
        return sum(deliver(pk, relay=relay) for pk in email_ids)
    finally:
        relay.close()


def message_id(email):
    # The same for every attempt: a relay or a mail client that sees the email twice
    # (the worker died between the relay's acceptance and the commit) can drop the copy.
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "boursoloco"
    return f"<{connection.schema_name}.{email.pk}@{domain}>"


def deliver(email_id, relay=None):
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
                headers={
                    "X-BoursOloco-Town": connection.schema_name,
                    "Message-ID": message_id(email),
                    **email.headers,
                },
                connection=relay,
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
