"""Turning a town's events into deliveries, and sending the deliveries that are due.

An event becomes one Delivery per endpoint listening to it, once the change that caused it
commits; a job of the « webhooks » queue then sends what is due. A failed attempt is tried
again on RETRY_DELAYS' schedule (an rq job scheduled at that time; the five-minute catch-up
sends whatever a lost job left). A worker claims a batch before sending it, so that two
jobs never send the same delivery; one that dies while sending leaves its claim to run
out, and the delivery goes again with the same webhook-id."""

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from tenant_apps.webhooks import notifications
from tenant_apps.webhooks.enums import FAILING_LIMIT, RETRY_DELAYS, DeliveryStatus
from tenant_apps.webhooks.models import Attempt, Delivery, Webhook, new_message_id
from tenant_apps.webhooks.transport import guarded_session, post
from tenants.jobs import get_queue, run_in_town
from tenants.models import Territory

QUEUE = "webhooks"
DELIVER_DUE = "tenant_apps.webhooks.services.deliver_due"
WAKE_KEY = "boursoloco:webhooks:wake:{}"
BATCH = 50
# Endpoints sent to side by side by one job.
SENDERS = 8
# A job stops taking new batches after this many seconds (and queues its follow-up), so
# that a town with many deliveries does not hold a worker for long.
JOB_SECONDS = 120


def claim_duration():
    """How long a worker's claim on a batch lasts: long enough for every delivery of the
    batch to time out, connecting and reading."""
    return timedelta(seconds=BATCH * 2 * settings.WEBHOOK_TIMEOUT + 60)


def emit(event_type, data, *, after_commit=False):
    """Queue `event_type` for every endpoint of the town listening to it, in the current
    transaction (the deliveries commit, or vanish, with the change that caused them); a
    job sends them once it commits. `data` is the payload's data, or a function that
    returns it. With after_commit, the deliveries are written once the transaction
    commits (then `data` reads what only the end of the transaction settles, such as a
    new demand's reference)."""
    if not after_commit:
        return record(connection.schema_name, event_type, data)
    schema_name = connection.schema_name

    def record_after_commit():
        # In the town where the event happened, whatever the connection did since.
        with schema_context(schema_name):
            record(schema_name, event_type, data)

    transaction.on_commit(record_after_commit, robust=True)
    return None


def record(schema_name, event_type, data):
    webhooks = list(Webhook.objects.listening_to(event_type).values_list("pk", flat=True))
    if not webhooks:
        return []
    territory = Territory.objects.current()
    now = timezone.now()
    body = {
        "type": event_type,
        "timestamp": now.isoformat().replace("+00:00", "Z"),
        "data": {
            "town": {"slug": territory.slug, "name": territory.name},
            **(data() if callable(data) else data),
        },
    }
    payload = json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    message_id = new_message_id()
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            webhook_id=pk,
            event_type=event_type,
            message_id=message_id,
            payload=payload,
            next_attempt_at=now,
        )
        for pk in webhooks
    )
    transaction.on_commit(lambda: wake(schema_name), robust=True)
    return deliveries


def wake(schema_name):
    """Queue a job that sends the town's due deliveries, unless one is already waiting."""
    queue = get_queue(QUEUE)
    key = WAKE_KEY.format(schema_name)
    if not queue.connection.set(key, "1", nx=True, ex=300):
        return False
    try:
        queue.enqueue(
            run_in_town,
            schema_name,
            DELIVER_DUE,
            (),
            {},
            job_timeout=int(claim_duration().total_seconds()) + JOB_SECONDS + 60,
        )
    except Exception:
        queue.connection.delete(key)
        raise
    return True


def wake_if_due():
    """The five-minute catch-up: a job for the town if a delivery is due (its own job or
    scheduled retry was lost, or a worker died while sending it)."""
    if Delivery.objects.due().exists():
        return wake(connection.schema_name)
    return False


def schedule(schema_name, moments):
    """A job at each of these moments (retries); rq's scheduler runs them."""
    queue = get_queue(QUEUE)
    for moment in sorted(moments):
        queue.enqueue_at(moment, run_in_town, schema_name, DELIVER_DUE, (), {})


def deliver_due():
    """Send the town's due deliveries, a batch at a time, for JOB_SECONDS at most (then
    a follow-up job). Safe to run twice at once: each batch is claimed before it is sent.
    Returns {"delivered": n, "failed": n, "deferred": n}."""
    schema_name = connection.schema_name
    get_queue(QUEUE).connection.delete(WAKE_KEY.format(schema_name))
    sessions = {}  # one per endpoint, kept open from one batch to the next
    totals = {"delivered": 0, "failed": 0, "deferred": 0}
    deadline = time.monotonic() + JOB_SECONDS
    failing = {}  # endpoints that failed during this job: when they are tried again
    try:
        with ThreadPoolExecutor(max_workers=SENDERS) as senders:
            while batch := claim():
                for name, count in send(senders, sessions, batch, failing).items():
                    totals[name] += count
                if time.monotonic() > deadline:
                    transaction.on_commit(lambda: wake(schema_name), robust=True)
                    break
    finally:
        for session in sessions.values():
            session.close()
    return totals


def claim():
    """Up to BATCH due deliveries, each with its endpoint, claimed for this worker."""
    with transaction.atomic():
        now = timezone.now()
        batch = list(
            Delivery.objects.due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("webhook")
            .order_by("next_attempt_at", "pk")[:BATCH]
        )
        if batch:
            Delivery.objects.filter(pk__in=[delivery.pk for delivery in batch]).update(
                next_attempt_at=now + claim_duration()
            )
    return batch


def post_in_turn(session, deliveries, skip):
    """One endpoint's deliveries, in order, in a sender thread (no database here); after a
    failure, the rest are not tried (None)."""
    answers = []
    for delivery in deliveries:
        if skip:
            answers.append(None)
            continue
        webhook = delivery.webhook
        answer = post(session, webhook.url, webhook.secret, delivery.message_id, delivery.payload)
        answers.append(answer)
        skip = not answer.succeeded
    return answers


def send(senders, sessions, batch, failing):
    """Try each delivery of the batch, then record the answers. The endpoints are sent to
    side by side (a slow one does not hold the others back), each one's deliveries in
    turn. An endpoint that failed once in this job is not tried again in it: its other
    deliveries wait for its retry."""
    groups = {}
    for delivery in batch:
        groups.setdefault(delivery.webhook_id, []).append(delivery)
    for pk in groups:
        if pk not in sessions:
            sessions[pk] = guarded_session()

    def post_group(deliveries):
        pk = deliveries[0].webhook_id
        return post_in_turn(sessions[pk], deliveries, skip=pk in failing)

    answers = senders.map(post_group, groups.values())
    counts = {"delivered": 0, "failed": 0, "deferred": 0}
    attempts, succeeded = [], set()
    for deliveries, group_answers in zip(groups.values(), answers, strict=True):
        for delivery, answer in zip(deliveries, group_answers, strict=True):
            webhook = delivery.webhook
            if answer is None:
                delivery.next_attempt_at = failing[webhook.pk]
                counts["deferred"] += 1
                continue
            delivery.attempt_count += 1
            attempts.append(
                Attempt(
                    delivery=delivery,
                    number=delivery.attempt_count,
                    at=answer.at,
                    status_code=answer.status_code,
                    duration_ms=answer.duration_ms,
                    response_excerpt=answer.excerpt,
                    error=answer.error,
                )
            )
            if answer.succeeded:
                delivery.status = DeliveryStatus.DELIVERED
                delivery.delivered_at = answer.at
                delivery.next_attempt_at = None
                succeeded.add(webhook.pk)
                counts["delivered"] += 1
                continue
            counts["failed"] += 1
            if delivery.attempt_count > len(RETRY_DELAYS):
                delivery.status = DeliveryStatus.FAILED
                delivery.next_attempt_at = None
                failing[webhook.pk] = answer.at + RETRY_DELAYS[0]
            else:
                delivery.next_attempt_at = answer.at + RETRY_DELAYS[delivery.attempt_count - 1]
                failing[webhook.pk] = delivery.next_attempt_at
    record_answers(batch, attempts, succeeded - set(failing), {d.webhook for d in batch})
    return counts


@transaction.atomic
def record_answers(batch, attempts, succeeded, webhooks):
    now = timezone.now()
    save_deliveries(batch)
    Attempt.objects.bulk_create(attempts)
    Webhook.objects.filter(pk__in=succeeded).exclude(failing_since=None).update(failing_since=None)
    retries = set()
    for webhook in webhooks:
        if webhook.pk in succeeded:
            continue
        pending = [d.next_attempt_at for d in batch if d.webhook_id == webhook.pk]
        retries.update(moment for moment in pending if moment is not None)
        switch_off_if_failing(webhook, now)
    schema_name = connection.schema_name
    transaction.on_commit(lambda: schedule(schema_name, retries), robust=True)


def save_deliveries(batch):
    """One UPDATE per outcome rather than per delivery (nearly all were delivered)."""
    groups = {}
    for delivery in batch:
        delivered_on = (
            delivery.delivered_at.replace(microsecond=0) if delivery.delivered_at else None
        )
        key = (delivery.status, delivery.attempt_count, delivery.next_attempt_at, delivered_on)
        groups.setdefault(key, []).append(delivery.pk)
    for (status, attempt_count, next_attempt_at, delivered_at), pks in groups.items():
        Delivery.objects.filter(pk__in=pks).update(
            status=status,
            attempt_count=attempt_count,
            next_attempt_at=next_attempt_at,
            delivered_at=delivered_at,
        )


def switch_off_if_failing(webhook, now):
    """A failed attempt: the endpoint is failing since now, or, if since a day, off."""
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    if webhook.failing_since is None:
        webhook.failing_since = now
        webhook.save(update_fields=["failing_since"])
    elif webhook.is_active and webhook.failing_since <= now - FAILING_LIMIT:
        webhook.disable("Aucun envoi n’a abouti depuis 24 heures.")
        notifications.tell_admins_switched_off(webhook)
