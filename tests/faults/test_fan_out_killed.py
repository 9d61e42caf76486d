"""A real rq worker SIGKILLed in the middle of a partner fan-out: no partner is alerted
twice, none is forgotten.

The worker is caught mid-fan-out deterministically: the test locks the town's outbox
table, so the job inserts the alerts, renders the emails and then waits to insert them,
inside its one transaction. The worker dies there. PostgreSQL ends a dead client's
transaction when it next talks to it; a backend waiting on a lock does not talk, so the
test ends it as a server restart or `idle_session_timeout` would (pg_terminate_backend):
nothing of the fan-out remains. A new worker and the periodic catch-up then alert every
partner once; running the catch-up and the delivery again sends nothing more."""

from datetime import timedelta

import django_rq
import psycopg
import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.partners.models import Partner
from tenant_apps.demands.models import Applicant, Demand
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.mailing.services import deliver_pending
from tenant_apps.network.models import Alert, Broadcast, NetworkMember
from tenant_apps.network.services import broadcast_pending
from tenants.jobs import run_in_town
from tenants.models import Territory
from tests.factories import ApplicantFactory, DemandFactory
from tests.faults.helpers import app_env, database_url, kill, start_worker, wait_for, waiting_on
from tests.shared_services import reset_redis

pytestmark = pytest.mark.slow

PARTNERS = 12


@pytest.fixture
def fan_out(committed_db):
    town = Territory.objects.get(slug="ville-a")
    partners = [
        Partner.objects.create(
            name=f"Agence panne {n}", kind="estate_agency", email=f"p{n}@panne.fr"
        )
        for n in range(PARTNERS)
    ]
    with schema_context(town.schema_name):
        for partner in partners:
            NetworkMember.objects.create(partner=partner, status="active")
        demand = DemandFactory(reference="PAN-2026-00001", applicant=ApplicantFactory())
        Broadcast.objects.create(demand=demand)
    yield town, demand
    with schema_context(town.schema_name):
        OutboundEmail.objects.filter(key__startswith="alert:").delete()
        Demand.objects.filter(pk=demand.pk).delete()
        Applicant.objects.filter(pk=demand.applicant_id).delete()
        NetworkMember.objects.filter(partner__in=partners).delete()
    # Raw delete: Django's collector would look for the partners' introductions in the
    # public schema, where town tables do not exist.
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM partners_partner WHERE id = ANY(%s)", [[p.pk for p in partners]]
        )
    reset_redis(django_rq.get_connection("default"))


def test_a_worker_killed_mid_fan_out_alerts_each_partner_exactly_once(
    fan_out, smtp_sink, workers, settings
):
    town, demand = fan_out
    outbox = f"{town.schema_name}.mailing_outboundemail"
    env = app_env(EMAIL_URL=smtp_sink.url, PGOPTIONS="-c client_connection_check_interval=100")
    django_rq.get_queue("default").enqueue(
        run_in_town,
        town.schema_name,
        "tenant_apps.network.services.broadcast_demand",
        (demand.pk,),
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
        assert not Alert.objects.filter(demand=demand).exists()
        assert not OutboundEmail.objects.filter(key__startswith="alert:").exists()
        assert Broadcast.objects.get(demand=demand).done_at is None
        # The periodic catch-up finds the unfinished announcement.
        Broadcast.objects.update(requested_at=timezone.now() - timedelta(minutes=5))
        assert broadcast_pending() == PARTNERS
        assert broadcast_pending() == 0
    connection.set_schema_to_public()

    rerun = start_worker(["default", "emails"], env, burst=True)
    workers.append(rerun)
    assert rerun.wait(timeout=60) == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    with schema_context(town.schema_name):
        OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=5))
        assert deliver_pending() == 0  # the batch jobs sent them all
        assert Alert.objects.filter(demand=demand).count() == PARTNERS
        sent = list(
            OutboundEmail.objects.filter(key__startswith="alert:").values_list("to", "sent_at")
        )
    connection.set_schema_to_public()

    # One email per partner in the outbox, all sent, and exactly that many reached the relay.
    assert len({to for to, _ in sent}) == len(sent) == PARTNERS
    assert all(sent_at for _, sent_at in sent)
    assert sum(smtp_sink.counts().values()) == PARTNERS
