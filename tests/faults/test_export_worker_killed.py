"""A real rq worker SIGKILLed in the middle of a large export: the export does not stay
"en cours" for ever; the periodic catch-up sees it silent and builds it again, once.

The worker is caught mid-export deterministically: the test locks the town's demands
table, so the job claims the export (running, first attempt), then waits to read the
demands. The worker dies there; the backend it left waiting is ended as a server
restart would (pg_terminate_backend)."""

import csv
from datetime import timedelta

import django_rq
import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.accounts.models import User
from tenant_apps.backoffice.exports import export_path, resume_exports
from tenant_apps.backoffice.models import Export
from tenant_apps.demands.models import Applicant, Demand
from tenants.jobs import run_in_town
from tenants.models import Territory
from tests.factories import DemandFactory
from tests.faults.helpers import app_env, database_url, kill, start_worker, wait_for, waiting_on
from tests.shared_services import reset_redis

pytestmark = pytest.mark.slow


@pytest.fixture
def export(committed_db):
    town = Territory.objects.get(slug="ville-a")
    user = User.objects.create_user("export-panne@example.fr")
    with schema_context(town.schema_name):
        demands = [DemandFactory(reference=f"PAN-EXP-{n}") for n in range(3)]
        export = Export.objects.create(created_by=user, query="status=all", format="csv")
    reset_redis(django_rq.get_connection("default"))  # the demands' own jobs (matching)
    yield town, export
    with schema_context(town.schema_name):
        for made in Export.objects.filter(pk=export.pk).exclude(file_name=""):
            export_path(made).unlink(missing_ok=True)
        Export.objects.filter(pk=export.pk).delete()
        Demand.objects.filter(pk__in=[d.pk for d in demands]).delete()
        Applicant.objects.filter(pk__in=[d.applicant_id for d in demands]).delete()
    # Raw delete: Django's collector would look for the user's exports in the public
    # schema, where town tables do not exist.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_user WHERE id = %s", [user.pk])
    reset_redis(django_rq.get_connection("default"))


def test_an_export_whose_worker_was_killed_is_built_again(export, workers):
    town, job = export
    env = app_env(PRIVATE_ROOT=str(settings.PRIVATE_ROOT))
    demands = f"{town.schema_name}.demands_demand"
    path = "tenant_apps.backoffice.exports.build_export"
    django_rq.get_queue("default").enqueue(run_in_town, town.schema_name, path, (job.pk,), {})
    with psycopg.connect(database_url()) as blocker, blocker.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {demands} IN ACCESS EXCLUSIVE MODE")
        with psycopg.connect(database_url(), autocommit=True) as watcher:
            worker = start_worker(["default"], env)
            workers.append(worker)
            wait_for(lambda: waiting_on(watcher.cursor(), demands), message="export waiting")
            kill(worker)
            watcher.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_locks "
                "WHERE NOT granted AND relation = %s::regclass",
                [demands],
            )
        blocker.rollback()

    with schema_context(town.schema_name):
        stuck = Export.objects.get(pk=job.pk)
        assert (stuck.status, stuck.attempts) == (Export.Status.RUNNING, 1)
        assert resume_exports() == 0  # a live job could still be at work
        # Five minutes without a sign of life: the catch-up builds it again.
        Export.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=6))
        assert resume_exports() == 1

    rerun = start_worker(["default"], env, burst=True)
    workers.append(rerun)
    assert rerun.wait(timeout=60) == 0
    with schema_context(town.schema_name):
        done = Export.objects.get(pk=job.pk)
        assert (done.status, done.attempts, done.total) == (Export.Status.DONE, 2, 3)
        with open(export_path(done), encoding="utf-8-sig") as file:
            rows = list(csv.reader(file, delimiter=";"))
        assert sorted(row[0] for row in rows[1:]) == ["PAN-EXP-0", "PAN-EXP-1", "PAN-EXP-2"]
        assert resume_exports() == 0
