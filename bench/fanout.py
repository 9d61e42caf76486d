"""A partner fan-out: 10,000 partner subscriptions across 10 towns, one qualified demand
per town (target: under 10 s of worker time), then the emails' delivery by batch jobs."""

import os
import time

import django_rq
from django.db import connection
from django_tenants.utils import schema_context
from rq import SimpleWorker

from bench.report import figure
from shared_apps.partners.models import Partner
from tenant_apps.demands.models import Applicant, Demand
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.network.models import Alert, Broadcast, NetworkMember
from tenant_apps.network.services import broadcast_demand
from tenants.enums import TerritoryStatus
from tenants.provisioning import provision_territory

TOWNS = int(os.environ.get("BENCH_FANOUT_TOWNS", 10))
PER_TOWN = int(os.environ.get("BENCH_FANOUT_PARTNERS", 1000))
TARGET_SECONDS = 10


def prepare():
    partners = Partner.objects.bulk_create(
        Partner(name=f"Agence banc {n}", kind="estate_agency", email=f"agence{n}@banc.example")
        for n in range(PER_TOWN * TOWNS)
    )
    towns = []
    for index in range(TOWNS):
        town = provision_territory(
            slug=f"banc-alertes-{index}",
            name=f"Banc alertes {index}",
            kind="commune",
            status=TerritoryStatus.OPEN,
        )
        with schema_context(town.schema_name):
            members = partners[index * PER_TOWN : (index + 1) * PER_TOWN]
            # Half want everything, half set filters the demand passes.
            NetworkMember.objects.bulk_create(
                NetworkMember(
                    partner=partner,
                    status="active",
                    premises_kinds=["shop", "mixed"] if n % 2 else [],
                    surface_min=30 if n % 2 else None,
                )
                for n, partner in enumerate(members)
            )
            applicant = Applicant.objects.create(
                first_name="Banc", last_name="Essai", email="porteur@banc.example"
            )
            demand = Demand.objects.create(
                reference=f"BAN-2026-{index:05d}",
                applicant=applicant,
                activity="Épicerie fine",
                activity_category="food",
                stage="creating",
                premises_kind="shop",
                surface_min=40,
                surface_max=90,
                monthly_budget=1200,
            )
            Broadcast.objects.create(demand=demand)
        towns.append((town, demand))
    return towns


def fanout():
    towns = prepare()
    django_rq.get_connection("default").flushdb()
    started = time.perf_counter()
    alerted = 0
    for town, demand in towns:
        with schema_context(town.schema_name):
            alerted += broadcast_demand(demand.pk)
    elapsed = time.perf_counter() - started
    figure("fanout_partner_subscriptions", alerted, "alerts")
    figure("fanout_worker_time", elapsed, "s")
    figure("fanout_per_alert", elapsed * 1000 / max(alerted, 1), "ms")
    figure("fanout_ratio_to_target_10s", elapsed / TARGET_SECONDS, "x")

    started = time.perf_counter()
    again = 0
    for town, demand in towns:
        with schema_context(town.schema_name):
            Broadcast.objects.filter(demand=demand).update(done_at=None)  # as if retried
            again += broadcast_demand(demand.pk)
    figure("fanout_rerun_new_alerts", again, "alerts")
    figure("fanout_rerun_time", time.perf_counter() - started, "s")

    queue = django_rq.get_queue("emails")
    jobs = queue.count
    started = time.perf_counter()
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    elapsed = time.perf_counter() - started
    sent = 0
    for town, demand in towns:
        with schema_context(town.schema_name):
            sent += OutboundEmail.objects.exclude(sent_at=None).count()
            assert Alert.objects.filter(demand=demand).count() == PER_TOWN
    connection.set_schema_to_public()
    figure("fanout_delivery_jobs", jobs, "jobs")
    figure("fanout_delivery_time_file_backend", elapsed, "s")
    figure("fanout_emails_sent", sent, "emails")
