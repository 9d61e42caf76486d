"""The public catalogue, /locaux/, of a town with 1,000 published premises: gunicorn and
32 concurrent clients, its throughput against the floor view's in the same run (target:
at least half), and its SQL queries with 10 and with 1,000 premises (target: the same).

The clients ask for the first page, a page further on and filtered lists, in turn; the
floor is bench/floor_view.py (one insert). The list pages are cached (see
tenant_apps/premises/catalogue.py): the queries and the time of one request are printed
both rendered afresh and from the cache. The two phases take turns in slices, as in
bench/load.py, whose load generator and gunicorn helpers this reuses."""

import asyncio
import json
import multiprocessing
import os
import sys
import time

from bench.load import (
    CLIENTS,
    Porteur,
    address,
    drive,
    free_port,
    in_turns,
    run_phase,
    worker_count,
)

PREMISES = 1_000
FEW = 10
PER_CLIENT = int(os.environ.get("BENCH_CATALOGUE_REQUESTS", "40"))
PATHS = [
    "/locaux/",
    "/locaux/?page=40",
    "/locaux/?kind=shop",
    "/locaux/?surface=50&budget=1500",
]


# The load generator (second process) -------------------------------------------------


async def catalogue_client(spec):
    host = spec["host"]

    async def visit(conn, job):
        porteur, path = job
        status, _ = await porteur.get(conn, path)
        return (status,)

    async def floor(conn, porteur):
        status, _ = await porteur.post(conn, "/banc/plancher/", {})
        return (status,)

    async def csrf_cookie(conn, porteur):
        status, _ = await porteur.get(conn, "/demande/")  # a form sets it, as in a browser
        return (status,)

    visitors = [Porteur(host, address(spec["first_address"] + i)) for i in range(spec["clients"])]
    await run_phase(spec, visitors, csrf_cookie)
    total = spec["clients"] * spec["per_client"]
    pages = [(visitors[i % len(visitors)], PATHS[i % len(PATHS)]) for i in range(total)]
    floors = [visitors[i % len(visitors)] for i in range(total)]
    await run_phase(spec, pages[: 2 * spec["clients"]], visit)  # warm-up
    await run_phase(spec, floors[: 2 * spec["clients"]], floor)
    ok = lambda outcome: outcome[0] == 200  # noqa: E731
    return await in_turns(spec, {"catalogue": (pages, visit, ok), "floor": (floors, floor, ok)})


# The bench side (Django, on the scratch database) ------------------------------------


def town_with_premises(slug, count):
    from django_tenants.utils import schema_context

    from tenant_apps.premises.models import Area, Premises, PremisesPhoto
    from tenants.enums import TerritoryKind, TerritoryStatus
    from tenants.provisioning import provision_territory

    town = provision_territory(
        name=f"Banc catalogue {count}",
        slug=slug,
        kind=TerritoryKind.COMMUNE,
        status=TerritoryStatus.OPEN,
    )
    kinds = ["shop", "shop", "restaurant", "office", "workshop", "mixed"]
    with schema_context(town.schema_name):
        areas = Area.objects.bulk_create(Area(name=f"Quartier {n}") for n in range(6))
        # Written in bulk: no save signal, so no porteur is alerted of the bench's premises.
        premises = Premises.objects.bulk_create(
            Premises(
                address=f"{n} rue du Banc",
                area=areas[n % len(areas)],
                kind=kinds[n % len(kinds)],
                surface=20 + n % 180,
                monthly_rent=400 + n % 40 * 50,
                lease_kind="commercial",
                has_shop_window=n % 2 == 0,
                step_free_access=n % 3 == 0,
                latitude=43.53 + n % 100 / 10_000,
                longitude=6.46 + n % 100 / 10_000,
                description="Local lumineux en rez-de-chaussée, réserve à l’arrière.",
                is_published=True,
            )
            for n in range(count)
        )
        PremisesPhoto.objects.bulk_create(
            PremisesPhoto(premises=item, image=f"locaux/{item.pk}/banc.jpg") for item in premises
        )
    return town


def measure(town, path="/locaux/", times=20):
    """(SQL statements, mean ms) of a catalogue page rendered afresh, then from the cache,
    in this process (one request at a time)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import schema_context

    from tenant_apps.premises.catalogue import forget_lists

    client = Client(HTTP_HOST=town.host)
    assert client.get(path).status_code == 200  # a first visit: the URLconf, templates
    found = {}
    for cached in (False, True):
        spent = 0.0
        for _ in range(times):
            if not cached:
                with schema_context(town.schema_name):
                    forget_lists()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                assert client.get(path).status_code == 200
                spent += time.perf_counter() - started
        found[cached] = (len(captured), spent / times * 1000)
    connection.set_schema_to_public()
    return found


def catalogue():
    from bench.report import figure

    few = town_with_premises("banc-catalogue-10", FEW)
    town = town_with_premises("banc-catalogue", PREMISES)
    for count, each in ((FEW, few), (PREMISES, town)):
        found = measure(each)
        figure(f"catalogue_queries_{count}_premises", found[False][0], "queries")
        figure(f"catalogue_queries_{count}_premises_cached", found[True][0], "queries")
        figure(f"catalogue_one_request_{count}_premises", found[False][1], "ms")
        figure(f"catalogue_one_request_{count}_premises_cached", found[True][1], "ms")

    workers = worker_count()
    threads = int(os.environ.get("GUNICORN_THREADS", 2))
    print(
        f"# gunicorn: {workers} workers x {threads} threads ({multiprocessing.cpu_count()} "
        f"cores), {CLIENTS} concurrent clients; pages: {', '.join(PATHS)}",
        flush=True,
    )
    port = free_port()
    spec = {
        "port": port,
        "host": f"{town.host}:{port}",
        "clients": CLIENTS,
        "per_client": PER_CLIENT,
        "first_address": 1 << 20,
    }
    results = drive(port, workers, threads, spec, "bench.catalogue")
    for name in ("catalogue", "floor"):
        phase = results[name]
        if phase["ok"] != phase["requests"]:
            print(f"# FAILED: {name} answered {phase['statuses']}", flush=True)
        figure(f"catalogue_load_{name}_requests", phase["requests"], "requests")
        figure(f"catalogue_load_{name}_throughput", phase["throughput"], "req/s")
        figure(f"catalogue_load_{name}_p50", phase["p50"], "ms")
        figure(f"catalogue_load_{name}_p95", phase["p95"], "ms")
    ratio = results["catalogue"]["throughput"] / results["floor"]["throughput"]
    figure("catalogue_vs_floor_throughput", ratio, "x")
    print(
        f"# target {'met' if ratio >= 0.5 else 'MISSED'}: catalogue >= half the floor", flush=True
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--client":
        print(json.dumps(asyncio.run(catalogue_client(json.loads(sys.argv[2])))))
    else:
        sys.exit("usage: python -m bench.catalogue --client SPEC (run through `python -m bench`)")
