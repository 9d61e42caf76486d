"""The council PDF and the poster (target: 1.5 s each, or kept until their data change):
the first request draws it (with WeasyPrint's start-up if it is this process's first),
the next ones get the PDF kept in the town's cache, until the data it shows change.
Run after `load` (its town), or alone."""

import time

import django_rq
from django.test import Client
from django_tenants.utils import schema_context

from bench.load import town_for_load
from bench.report import figure

TARGET_SECONDS = 1.5
DOCUMENTS = {
    "council": "/gestion/tableau-de-bord/pdf/",
    "poster": "/gestion/kit/affiche.pdf",
}


def pdfs():
    django_rq.get_connection("default").flushdb()  # the bench's own Redis: no PDF kept yet
    town, user = town_for_load()  # 2,000 demands: the council PDF has all its tables
    client = Client(HTTP_HOST=town.host)
    with schema_context(town.schema_name):
        client.force_login(user)
    for name, path in DOCUMENTS.items():
        timings, cpu = [], []
        for _ in range(3):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(path)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            assert response.status_code == 200, (path, response.status_code)
            assert response.content.startswith(b"%PDF"), path
        figure(f"pdf_{name}_drawn", timings[0], "s")
        # This process's CPU: on a busy shared machine, wall time is mostly waiting.
        figure(f"pdf_{name}_drawn_cpu", cpu[0], "s")
        figure(f"pdf_{name}_kept", min(timings[1:]), "s")
        figure(f"pdf_{name}_drawn_vs_target_1_5s", timings[0] / TARGET_SECONDS, "x")
        figure(f"pdf_{name}_kept_vs_target_1_5s", min(timings[1:]) / TARGET_SECONDS, "x")
