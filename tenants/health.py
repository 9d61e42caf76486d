"""/healthz: is the database reachable, is Redis reachable, is a worker alive."""

import logging
from datetime import UTC, datetime

import django_rq
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from rq import Worker


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_redis():
    django_rq.get_connection("default").ping()


def check_worker():
    workers = Worker.all(connection=django_rq.get_connection("default"))
    now = datetime.now(UTC)
    alive = [
        w
        for w in workers
        if w.last_heartbeat
        and (now - w.last_heartbeat.replace(tzinfo=UTC)).total_seconds()
        < settings.WORKER_HEARTBEAT_MAX_AGE
    ]
    if not alive:
        raise RuntimeError("aucun worker actif")


logger = logging.getLogger(__name__)

CHECKS = {"database": check_database, "redis": check_redis, "worker": check_worker}


def healthz(request):
    report = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001 — a health check reports, never raises
            # The kind of failure only: details go to the logs, not to the public.
            logger.warning("healthz: %s en panne : %s", name, error)
            report[name] = {"status": "down", "error": type(error).__name__}
        else:
            report[name] = {"status": "up"}
    healthy = all(item["status"] == "up" for item in report.values())
    report["status"] = "up" if healthy else "down"
    response = JsonResponse(report, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response
