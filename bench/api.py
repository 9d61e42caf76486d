"""The API's list of premises, /api/v1/premises/, of a town with 1,000 premises: gunicorn
and 32 concurrent clients with one token, its throughput against the floor view's in the
same run (target: at least half), and its SQL queries with pages of 10 and of 200 (target:
the same).

The clients ask, in turn, for the first page of 50, a page further on (by its cursor) and
a filtered page; each request is authenticated (token look-up, Redis rate limit, use
counted) and answered with an ETag. The floor is bench/floor_view.py (one insert). The
two phases take turns in slices, as in bench/load.py, whose load generator and gunicorn
helpers this reuses."""

import asyncio
import json
import multiprocessing
import os
import sys

from bench.catalogue import town_with_premises
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
PER_CLIENT = int(os.environ.get("BENCH_API_REQUESTS", "40"))


# The load generator (second process) -------------------------------------------------


async def api_client(spec):
    host, bearer = spec["host"], {"Authorization": f"Bearer {spec['token']}"}

    async def read(conn, job):
        client, path = job
        status, _ = await conn.request("GET", path, client.headers(bearer))
        return (status,)

    async def floor(conn, client):
        status, _ = await client.post(conn, "/banc/plancher/", {})
        return (status,)

    async def csrf_cookie(conn, client):
        status, _ = await client.get(conn, "/demande/")  # a form sets it, as in a browser
        return (status,)

    clients = [Porteur(host, address(spec["first_address"] + i)) for i in range(spec["clients"])]
    await run_phase(spec, clients, csrf_cookie)
    total = spec["clients"] * spec["per_client"]
    paths = spec["paths"]
    reads = [(clients[i % len(clients)], paths[i % len(paths)]) for i in range(total)]
    floors = [clients[i % len(clients)] for i in range(total)]
    await run_phase(spec, reads[: 2 * spec["clients"]], read)  # warm-up
    await run_phase(spec, floors[: 2 * spec["clients"]], floor)
    ok = lambda outcome: outcome[0] == 200  # noqa: E731
    return await in_turns(spec, {"api": (reads, read, ok), "floor": (floors, floor, ok)})


# The bench side (Django, on the scratch database) ------------------------------------


def queries(town, key, limit):
    """(SQL statements, ms) of one list page of `limit` premises, in this process."""
    import time

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=town.host, HTTP_AUTHORIZATION=f"Bearer {key}")
    path = f"/api/v1/premises/?limit={limit}"
    assert client.get(path).status_code == 200  # a first visit: the URLconf, the schemas
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(path)
        spent = (time.perf_counter() - started) * 1000
    assert response.status_code == 200 and len(response.json()["items"]) == limit
    connection.set_schema_to_public()
    return len(captured), spent, response.json()["next_cursor"]


def api():
    from django_tenants.utils import schema_context

    from bench.report import figure
    from shared_apps.api.auth import with_pending_calls
    from shared_apps.api.models import ApiToken

    town = town_with_premises("banc-api", PREMISES)
    _, key = ApiToken.issue(town, name="Banc", scopes=["premises:read"], days=1, by=None)
    for limit in (10, 200):
        count, spent, cursor = queries(town, key, limit)
        figure(f"api_list_queries_{limit}_per_page", count, "queries")
        figure(f"api_list_one_request_{limit}_per_page", spent, "ms")
    paths = [
        "/api/v1/premises/?limit=50",
        f"/api/v1/premises/?limit=50&cursor={cursor}",
        "/api/v1/premises/?limit=50&state=vacant&updated_since=2026-01-01T00:00:00Z",
    ]
    # One token for every client: its rate limit must not be what is measured.
    os.environ["API_REQUESTS_PER_MINUTE"] = "10000000"
    workers = worker_count()
    threads = int(os.environ.get("GUNICORN_THREADS", 2))
    print(
        f"# gunicorn: {workers} workers x {threads} threads ({multiprocessing.cpu_count()} "
        f"cores), {CLIENTS} concurrent clients, one token; pages: {', '.join(paths)}",
        flush=True,
    )
    port = free_port()
    spec = {
        "port": port,
        "host": f"{town.host}:{port}",
        "clients": CLIENTS,
        "per_client": PER_CLIENT,
        "first_address": 2 << 20,
        "token": key,
        "paths": paths,
    }
    results = drive(port, workers, threads, spec, "bench.api")
    for name in ("api", "floor"):
        phase = results[name]
        if phase["ok"] != phase["requests"]:
            print(f"# FAILED: {name} answered {phase['statuses']}", flush=True)
        figure(f"api_load_{name}_requests", phase["requests"], "requests")
        figure(f"api_load_{name}_throughput", phase["throughput"], "req/s")
        figure(f"api_load_{name}_p50", phase["p50"], "ms")
        figure(f"api_load_{name}_p95", phase["p95"], "ms")
    ratio = results["api"]["throughput"] / results["floor"]["throughput"]
    figure("api_vs_floor_throughput", ratio, "x")
    with schema_context(town.schema_name):  # the town's Redis keys
        (token,) = with_pending_calls(ApiToken.objects.filter(name="Banc"))
    figure("api_calls_counted", token.calls, "calls")
    print(f"# target {'met' if ratio >= 0.5 else 'MISSED'}: API list >= half the floor", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--client":
        print(json.dumps(asyncio.run(api_client(json.loads(sys.argv[2])))))
    else:
        sys.exit("usage: python -m bench.api --client SPEC (run through `python -m bench`)")
