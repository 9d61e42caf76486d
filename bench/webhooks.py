"""10,000 webhook deliveries (2,500 events for 4 endpoints of one town) to local
receivers, one process each (4 integrators), which verify every signature: under 30 s of
worker time, each delivered exactly once when the receivers answer 200. The worker's
time is printed as elapsed (waiting for the receivers included) and as CPU time."""

import json
import multiprocessing
import os
import time
from urllib.request import urlopen

import django_rq
from django.db import connection, transaction
from django_tenants.utils import schema_context
from rq import SimpleWorker

from bench.report import figure
from tenant_apps.webhooks.enums import DeliveryStatus, EventType
from tenant_apps.webhooks.models import Attempt, Delivery, Webhook
from tenant_apps.webhooks.services import deliver_due, emit
from tenants.enums import TerritoryStatus
from tenants.provisioning import provision_territory
from tests.tenant_apps.webhooks.receiver import free_port, serve, url_of

DELIVERIES = int(os.environ.get("BENCH_WEBHOOK_DELIVERIES", 10_000))
ENDPOINTS = 4
TARGET_SECONDS = 30
SECRET = "whsec_" + "YmFuYy13ZWJob29rcy1zZWNyZXQtMzItb2N0ZXRzISE="  # 32 bytes, bench only


def stats(ports):
    """What the receivers saw, added up."""
    totals = {}
    for port in ports:
        with urlopen(url_of(port, "/stats"), timeout=5) as response:  # noqa: S310 — localhost
            for name, value in json.load(response).items():
                totals[name] = totals.get(name, 0) + value
    return totals


def webhooks():
    ports = [free_port() for _ in range(ENDPOINTS)]
    context = multiprocessing.get_context("spawn")
    receivers = []
    for port in ports:
        ready = context.Event()
        receiver = context.Process(target=serve, args=(port, SECRET, ready), daemon=True)
        receiver.start()
        receivers.append((receiver, ready))
    for _, ready in receivers:
        ready.wait(30)
    try:
        run(ports)
    finally:
        for receiver, _ in receivers:
            receiver.terminate()
            receiver.join()


def run(ports):
    town = provision_territory(
        slug="banc-webhooks", name="Banc webhooks", kind="commune", status=TerritoryStatus.OPEN
    )
    queue = django_rq.get_queue("webhooks")
    queue.connection.flushdb()
    events = DELIVERIES // ENDPOINTS
    with schema_context(town.schema_name):
        Webhook.objects.bulk_create(
            Webhook(url=url_of(port, "/crm"), events=list(EventType.values), secret=SECRET)
            for port in ports
        )
        started = time.perf_counter()
        for start in range(0, events, 100):  # as bulk actions would: 100 events a commit
            with transaction.atomic():
                for n in range(start, min(start + 100, events)):
                    emit(
                        EventType.DEMAND_STATUS_CHANGED,
                        {"demand": {"reference": f"BAN-2026-{n:05d}"}, "to_status": "qualified"},
                    )
        figure("webhooks_events_recorded", events, "events")
        figure("webhooks_record_time", time.perf_counter() - started, "s")

    jobs = queue.count
    started, cpu = time.perf_counter(), time.process_time()
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    received = stats(ports)
    with schema_context(town.schema_name):
        delivered = Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count()
        attempts = Attempt.objects.count()
        started_again = time.perf_counter()
        rerun = deliver_due()  # a second run (a duplicate job) sends nothing
        rerun_time = time.perf_counter() - started_again
    connection.set_schema_to_public()
    again = stats(ports)
    figure("webhooks_jobs", jobs, "jobs")
    figure("webhooks_worker_time", elapsed, "s")
    figure("webhooks_worker_cpu_time", cpu, "s")
    figure("webhooks_per_delivery", elapsed * 1000 / max(delivered, 1), "ms")
    figure("webhooks_ratio_to_target_30s", elapsed / TARGET_SECONDS, "x")
    figure("webhooks_delivered", delivered, "deliveries")
    figure("webhooks_attempts", attempts, "attempts")
    figure("webhooks_received", received["requests"], "requests")
    figure("webhooks_received_once", received["unique_ids"], "deliveries")
    figure("webhooks_received_twice", received["duplicates"], "deliveries")
    figure("webhooks_bad_signatures", received["bad_signatures"], "requests")
    figure("webhooks_rerun_sent", sum(rerun.values()), "deliveries")
    figure("webhooks_rerun_time", rerun_time, "s")
    figure("webhooks_received_after_rerun", again["requests"], "requests")
    assert delivered == attempts == received["unique_ids"] == DELIVERIES, received
    assert received["duplicates"] == received["bad_signatures"] == 0, received
    assert again["requests"] == received["requests"]
