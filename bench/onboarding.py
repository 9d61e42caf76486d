"""A town onboarding itself (code submitted → usable space), and the nightly rollup."""

import os
import statistics
import time

import django_rq
from django.core import mail
from django.test import Client
from rq import SimpleWorker

from bench.report import figure
from shared_apps.accounts.verification import code_hash
from shared_apps.referential.loading import load_territories
from shared_apps.referential.models import Commune
from tenants.enums import TerritoryKind
from tenants.jobs import for_towns_by_batch
from tenants.models import Territory
from tenants.provisioning import provision_territory

RUNS = 11


def onboarding():
    if not Commune.objects.exists():
        load_territories()
    candidates = list(
        Commune.objects.exclude(siren__in=Territory.objects.exclude(siren=None).values("siren"))
        .exclude(siren="")
        .order_by("-population")[:RUNS]
    )
    timings = []
    for index, commune in enumerate(candidates):
        client = Client(HTTP_HOST="localhost", REMOTE_ADDR=f"10.1.0.{index}")
        client.post("/inscription/", {"territoire": f"commune:{commune.insee_code}"})
        client.post(
            "/inscription/espace/",
            {
                "slug": f"banc-inscription-{index}",
                "first_name": "Banc",
                "last_name": "Essai",
                "email": f"banc{index}@example.fr",
                "accept_terms": "on",
            },
        )
        session = client.session
        session["onboarding"]["code"] = code_hash("123456")  # the emailed code, known here
        session.save()
        started = time.perf_counter()
        response = client.post("/inscription/code/", {"code": "123456"})
        welcome = response["Location"].split(":8000", 1)[-1]
        town_client = Client(HTTP_HOST=f"banc-inscription-{index}.localhost")
        landing = town_client.get(welcome, follow=True)
        timings.append((time.perf_counter() - started) * 1000)
        assert landing.status_code == 200, landing.status_code
    mail.outbox = []
    figure("onboarding_code_to_usable_space_median", statistics.median(timings), "ms")
    figure("onboarding_code_to_usable_space_max", max(timings), "ms")


ROLLUP_TOWNS = int(os.environ.get("BENCH_ROLLUP_TOWNS", "2000"))


def rollup():
    """The nightly rollup over ROLLUP_TOWNS towns (created here as needed)."""
    for index in range(Territory.objects.towns().count(), ROLLUP_TOWNS):
        provision_territory(
            name=f"Banc cumul {index}", slug=f"banc-cumul-{index}", kind=TerritoryKind.COMMUNE
        )
    towns = Territory.objects.reachable().count()
    started = time.perf_counter()
    for_towns_by_batch("shared_apps.national.tasks.roll_up_town")
    queue = django_rq.get_queue("default")
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    elapsed = time.perf_counter() - started
    figure("rollup_towns", towns, "towns")
    figure("rollup_worker_time", elapsed, "s")
    figure("rollup_per_town", elapsed * 1000 / max(towns, 1), "ms")
    figure("rollup_2000_towns_vs_target_60s", elapsed / max(towns, 1) * 2000 / 60, "x")
    if towns < 2000:
        figure("rollup_2000_towns_extrapolated", elapsed / max(towns, 1) * 2000, "s")
