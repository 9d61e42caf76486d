"""A real rq worker SIGKILLed in the middle of a porteurs' alert fan-out (a premises just
published, twelve subscribed demands it fits): no porteur is emailed twice, none is
forgotten.

As in test_fan_out_killed.py (the partners' equivalent), the test locks the town's
outbox table: the job writes the alerts, renders the emails, then waits to insert them,
inside its one transaction. The worker dies there; the waiting backend is ended as a
server restart would end it, and nothing of the fan-out remains. The periodic catch-up
then alerts every porteur once; running it and the delivery again sends nothing more."""

from datetime import timedelta

import django_rq
import psycopg
import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tenant_apps.applicant_alerts.models import PremisesAlert, Publication, Subscription
from tenant_apps.applicant_alerts.services import announce_pending
from tenant_apps.demands.models import Applicant, Demand
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.mailing.services import deliver_pending
from tenant_apps.premises.models import Premises
from tenants.jobs import run_in_town
from tenants.models import Territory
from tests.factories import DemandFactory, PremisesFactory
from tests.faults.helpers import app_env, database_url, kill, start_worker, wait_for, waiting_on
from tests.shared_services import reset_redis

pytestmark = pytest.mark.slow

PORTEURS = 12
KEYS = ":premises-alerts:"


@pytest.fixture
def fan_out(committed_db):
    town = Territory.objects.get(slug="ville-a")
    with schema_context(town.schema_name):
        demands = [
            DemandFactory(reference=f"PAN-2026-{n:05d}", applicant__email=f"p{n}@panne.fr")
            for n in range(PORTEURS)
        ]
        for demand in demands:
            Subscription.switch(demand, True)
        premises = PremisesFactory(address="1 place de la Panne")
        # Published as a save would, without the save's own job: the test runs it.
        Premises.objects.filter(pk=premises.pk).update(is_published=True)
        Publication.objects.create(premises=premises)
    reset_redis(django_rq.get_connection("default"))  # the demands' matching jobs
    yield town, premises
    with schema_context(town.schema_name):
        OutboundEmail.objects.filter(key__contains=KEYS).delete()
        Premises.objects.filter(pk=premises.pk).delete()
        Demand.objects.filter(pk__in=[d.pk for d in demands]).delete()
        Applicant.objects.filter(pk__in=[d.applicant_id for d in demands]).delete()
    reset_redis(django_rq.get_connection("default"))


def test_a_worker_killed_mid_fan_out_emails_each_porteur_exactly_once(
    fan_out,
    smtp_sink,
    workers,
    settings,
):
    town, premises = fan_out
    outbox = f"{town.schema_name}.mailing_outboundemail"
    env = app_env(EMAIL_URL=smtp_sink.url, PGOPTIONS="-c client_connection_check_interval=100")
    django_rq.get_queue("default").enqueue(
        run_in_town,
        town.schema_name,
        "tenant_apps.applicant_alerts.services.announce_premises",
        (premises.pk,),
        {},
    )
    with psycopg.connect(database_url()) as blocker, blocker.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {outbox} IN SHARE ROW EXCLUSIVE MODE")
        with psycopg.connect(database_url(), autocommit=True) as watcher:
            worker = start_worker(["default"], env)
            workers.append(worker)
            wait_for(lambda: waiting_on(watcher.cursor(), outbox), message="fan-out waiting")
            kill(worker)
            watcher.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_locks "
                "WHERE NOT granted AND relation = %s::regclass",
                [outbox],
            )
            wait_for(lambda: not waiting_on(watcher.cursor(), outbox), message="rollback")
        blocker.rollback()

    with schema_context(town.schema_name):
        assert not PremisesAlert.objects.exists()
        assert not OutboundEmail.objects.filter(key__contains=KEYS).exists()
        assert not Subscription.objects.exclude(last_sent_on=None).exists()
        assert Publication.objects.get(premises=premises).done_at is None
        # The periodic catch-up finds the unfinished announcement.
        Publication.objects.update(requested_at=timezone.now() - timedelta(minutes=5))
        assert announce_pending() == PORTEURS
        assert announce_pending() == 0
    connection.set_schema_to_public()

    rerun = start_worker(["default", "emails"], env, burst=True)
    workers.append(rerun)
    assert rerun.wait(timeout=60) == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    with schema_context(town.schema_name):
        OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=5))
        assert deliver_pending() == 0  # the batch jobs sent them all
        assert PremisesAlert.objects.filter(premises=premises).count() == PORTEURS
        sent = list(OutboundEmail.objects.filter(key__contains=KEYS).values_list("to", "sent_at"))
    connection.set_schema_to_public()

    # One email per porteur in the outbox, all sent, and exactly that many reached the relay.
    assert len({to for to, _ in sent}) == len(sent) == PORTEURS
    assert all(sent_at for _, sent_at in sent)
    assert sum(smtp_sink.counts().values()) == PORTEURS
