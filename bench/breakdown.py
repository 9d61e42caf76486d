"""Where a request's time goes: SQL, Redis, templates, session, and the rest (Python:
middleware, forms, views), each counted once (exclusive: the SQL a template runs is
SQL, not template time; the session's own SQL is session time) — so the next reader
sees the cost without a profiler.

Run by the load benchmark in a process of its own with DEBUG off, as gunicorn runs the
app (`python -m bench.breakdown SPEC`); `measure` is the instrument."""

import json
import statistics
import sys
import time
from contextlib import ExitStack, contextmanager
from unittest import mock


class Breakdown:
    """Exclusive time and calls per kind, for the requests made inside `recording()`."""

    KINDS = ("sql", "redis", "templates", "session")

    def __init__(self):
        self.seconds = dict.fromkeys(self.KINDS, 0.0)
        self.calls = dict.fromkeys(self.KINDS, 0)
        self.stack = []  # [kind, started, time spent in nested kinds]
        self.session_statements = 0

    @contextmanager
    def timing(self, kind):
        nested = bool(self.stack) and self.stack[-1][0] == kind
        if not nested:
            self.calls[kind] += 1
        frame = [kind, time.perf_counter(), 0.0]
        self.stack.append(frame)
        try:
            yield
        finally:
            self.stack.pop()
            elapsed = time.perf_counter() - frame[1]
            if self.stack:
                self.stack[-1][2] += elapsed
            self.seconds[kind] += elapsed - frame[2]

    def wrap(self, kind, func):
        def wrapper(*args, **kwargs):
            with self.timing(kind):
                return func(*args, **kwargs)

        return wrapper

    @contextmanager
    def recording(self):
        from django.conf import settings
        from django.contrib.sessions.backends.base import SessionBase
        from django.db import connection
        from django.template.base import Template
        from django.utils.module_loading import import_string
        from redis.client import Pipeline, Redis

        store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")

        def sql(execute, query, params, many, context):
            if any(frame[0] == "session" for frame in self.stack):
                self.session_statements += 1  # the session's own SQL is session time
                return execute(query, params, many, context)
            with self.timing("sql"):
                return execute(query, params, many, context)

        patches = [
            (Redis, "execute_command", "redis"),  # one command, one round trip
            (Pipeline, "execute", "redis"),  # a pipeline: one round trip
            (Template, "render", "templates"),  # includes and widgets nest inside
            (store, "load", "session"),
            (store, "save", "session"),
            (SessionBase, "cycle_key", "session"),
        ]
        with ExitStack() as stack:
            for owner, name, kind in patches:
                original = getattr(owner, name)
                stack.enter_context(mock.patch.object(owner, name, self.wrap(kind, original)))
            stack.enter_context(connection.execute_wrapper(sql))
            yield self


def measure(request, runs):
    """Median of `runs` calls of `request()` (which returns the response): total, each
    kind's exclusive time and calls, and the rest."""
    rows = []
    for _ in range(runs):
        breakdown = Breakdown()
        with breakdown.recording():
            started = time.perf_counter()
            request()
            total = time.perf_counter() - started
        row = {"total": total * 1000}
        for kind in Breakdown.KINDS:
            row[kind] = breakdown.seconds[kind] * 1000
            row[f"{kind}_calls"] = breakdown.calls[kind]
        row["session_statements"] = breakdown.session_statements
        row["python"] = row["total"] - sum(row[kind] for kind in Breakdown.KINDS)
        rows.append(row)
    return {name: statistics.median(row[name] for row in rows) for name in rows[0]}


def print_breakdown(name, row):
    from bench.report import figure

    for kind in ("total", *Breakdown.KINDS, "python"):
        figure(f"{name}_{kind}", row[kind], "ms")
        if kind in Breakdown.KINDS:
            figure(f"{name}_{kind}_calls", int(row[f"{kind}_calls"]), "calls")
        if kind == "session":
            figure(f"{name}_session_statements", int(row["session_statements"]), "queries")
    shares = ", ".join(
        f"{kind} {row[kind] / row['total']:.0%}" for kind in (*Breakdown.KINDS, "python")
    )
    print(f"# {name}: {shares} of {row['total']:.1f} ms (median)", flush=True)


def run(spec):
    """In this process, DEBUG off: the last step's POST on sessions whose earlier steps
    were filled beforehand, and the inbox page of a logged-in agent."""
    from django.test import Client

    from tests.tenant_apps.demands.helpers import CONTACT, PREMISES, PROJECT, SUPPORT

    runs = spec["runs"]
    clients = []
    for number in range(runs + 2):
        client = Client(HTTP_HOST=spec["host"], REMOTE_ADDR=f"10.253.{number // 250}.{number}")
        client.get("/demande/")
        client.post("/demande/", PROJECT)
        client.post("/demande/local/", PREMISES)
        if spec["ask_support"]:
            client.post("/demande/accompagnement/", SUPPORT)
        clients.append(client)
    pending = iter(clients)

    def submit():
        client = next(pending)
        email = f"decompte-{spec['tag']}-{id(client)}@example.fr"
        response = client.post("/demande/contact/", {**CONTACT, "email": email})
        assert response.status_code == 302, response.status_code
        assert response["Location"].endswith("/demande/envoyee/"), response["Location"]

    for _ in range(2):  # warm-up (imports, the year's numbering, templates' cache)
        submit()
    results = {"submission": measure(submit, runs)}

    staff = Client(HTTP_HOST=spec["host"])
    staff.cookies["sessionid"] = spec["staff_session"]

    def inbox():
        response = staff.get("/gestion/")
        assert response.status_code == 200, response.status_code

    inbox()
    results["inbox"] = measure(inbox, runs)
    return results


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(run(json.loads(sys.argv[1]))))
