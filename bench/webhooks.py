"""10,000 webhook deliveries (2,500 events for 4 endpoints of one town) to a local
receiver in a process of its own, which verifies every signature: under 30 s of worker
time, each delivered exactly once when the receiver answers 200."""

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


def stats(port):
    with urlopen(url_of(port, "/stats"), timeout=5) as response:  # noqa: S310 — localhost
        return json.load(response)


def webhooks():
    port = free_port()
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    receiver = context.Process(target=serve, args=(port, SECRET, ready), daemon=True)
    receiver.start()
    ready.wait(30)
    try:
        run(port)
    finally:
        receiver.terminate()
        receiver.join()


def run(port):
    town = provision_territory(
        slug="banc-webhooks", name="Banc webhooks", kind="commune", status=TerritoryStatus.OPEN
    )
    queue = django_rq.get_queue("webhooks")
    queue.connection.flushdb()
    events = DELIVERIES // ENDPOINTS
    with schema_context(town.schema_name):
        Webhook.objects.bulk_create(
            Webhook(url=url_of(port, f"/crm-{n}"), events=list(EventType.values), secret=SECRET)
            for n in range(ENDPOINTS)
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
    started = time.perf_counter()
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    elapsed = time.perf_counter() - started
    received = stats(port)
    with schema_context(town.schema_name):
        delivered = Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count()
        attempts = Attempt.objects.count()
        started_again = time.perf_counter()
        rerun = deliver_due()  # a second run (a duplicate job) sends nothing
        rerun_time = time.perf_counter() - started_again
    connection.set_schema_to_public()
    again = stats(port)
    figure("webhooks_jobs", jobs, "jobs")
    figure("webhooks_worker_time", elapsed, "s")
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
