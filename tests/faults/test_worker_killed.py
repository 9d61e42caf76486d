"""A real rq worker SIGKILLed in the middle of sending a batch of outbox emails: after a
re-run (a new worker, then the periodic catch-up), every email was delivered exactly
once to a local SMTP sink. The worker is killed while the sink holds one email's DATA
unacknowledged, i.e. inside its SMTP transaction and its database transaction.

Not covered (and not coverable by any outbox): a kill after the relay acknowledged an
email but before its `sent_at` is committed would send it again on the re-run (the
"lost OK" of RFC 1047); that window is one UPDATE and one COMMIT long, and the copy
carries the same Message-ID (tenant_apps.mailing.services.message_id), which mail clients
use to drop it."""

from datetime import timedelta

import django_rq
import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.mailing.services import deliver_pending
from tenants.jobs import run_in_town
from tenants.models import Territory
from tests.faults.helpers import app_env, kill, start_worker
from tests.shared_services import reset_redis

pytestmark = pytest.mark.slow

BATCH = 8
HELD = 4


@pytest.fixture
def town(committed_db):
    town = Territory.objects.get(slug="ville-a")
    yield town
    with schema_context(town.schema_name):
        OutboundEmail.objects.filter(key__startswith="fault:").delete()
    reset_redis(django_rq.get_connection("emails"))


@pytest.fixture
def worker_processes():
    started = []
    yield started
    for process in started:
        kill(process)


def queue_batch(town):
    with schema_context(town.schema_name):
        emails = [
            OutboundEmail.objects.create(
                key=f"fault:{number}",
                to=f"destinataire{number}@example.fr",
                subject=f"Courriel {number}",
                body="Bonjour.",
            )
            for number in range(1, BATCH + 1)
        ]
    queue = django_rq.get_queue("emails")
    for email in emails:  # as queue_email does once the transaction commits
        path = "tenant_apps.mailing.services.deliver"
        queue.enqueue(run_in_town, town.schema_name, path, (email.pk,), {})


def test_a_worker_killed_while_sending_loses_and_duplicates_nothing(
    town, smtp_sink, worker_processes, settings
):
    queue_batch(town)
    env = app_env(EMAIL_URL=smtp_sink.url)
    smtp_sink.hold_at(HELD)

    worker = start_worker(["emails"], env)
    worker_processes.append(worker)
    smtp_sink.wait_until_held()
    kill(worker)
    smtp_sink.release()

    # Killed in the middle: the emails before the held one went out and were recorded,
    # the held one was neither acknowledged nor recorded, the rest were not started.
    assert smtp_sink.subjects() == [f"Courriel {n}" for n in range(1, HELD)]
    with schema_context(town.schema_name):
        sent = set(OutboundEmail.objects.exclude(sent_at=None).values_list("key", flat=True))
    assert sent == {f"fault:{n}" for n in range(1, HELD)}

    # Re-run: a new worker takes the jobs still queued; the job the killed worker had
    # started is gone with it, and the periodic catch-up sends its email.
    rerun = start_worker(["emails"], env, burst=True)
    worker_processes.append(rerun)
    assert rerun.wait(timeout=60) == 0
    assert len(smtp_sink.subjects()) == BATCH - 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    with schema_context(town.schema_name):
        OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=5))
        assert deliver_pending() == 1
        assert not OutboundEmail.objects.pending().filter(key__startswith="fault:").exists()
    connection.set_schema_to_public()

    assert smtp_sink.counts() == {f"Courriel {n}": 1 for n in range(1, BATCH + 1)}
