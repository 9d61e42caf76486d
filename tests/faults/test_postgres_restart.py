"""PostgreSQL restarted under a live app: the app recovers without being restarted.

The machine's PostgreSQL is shared, so it is not restarted: every backend the live app
(gunicorn, deploy/gunicorn.conf.py, on a free port) holds on the test database is ended
with pg_terminate_backend, which is what the app sees when the server restarts (its
persistent connections, CONN_MAX_AGE, break under it). With CONN_HEALTH_CHECKS on, the
next requests must reconnect instead of answering 500."""

import http.client
import json
from urllib.parse import urlencode

import pytest
from django.db import connection

from tests.conftest import TOWNS
from tests.faults.helpers import app_env, kill, start_gunicorn
from tests.tenant_apps.demands.helpers import PROJECT

pytestmark = pytest.mark.slow

TOWN_HOST = f"{TOWNS['town_a']['slug']}.localhost"


@pytest.fixture
def live_app(committed_db):
    process, port = start_gunicorn(app_env())
    yield port
    kill(process)


def get(port, path, host=TOWN_HOST):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def first_step(port):
    """The form's first step: reads the town's settings, writes the session."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/demande/", headers={"Host": TOWN_HOST})
        page = conn.getresponse()
        page.read()
        token = page.getheader("Set-Cookie").split("csrftoken=", 1)[1].split(";", 1)[0]
        conn.request(
            "POST",
            "/demande/",
            body=urlencode(PROJECT),
            headers={
                "Host": TOWN_HOST,
                "Cookie": f"csrftoken={token}",
                "X-CSRFToken": token,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = conn.getresponse()
        response.read()
        return page.status, response.status, response.getheader("Location")
    finally:
        conn.close()


def terminate_app_connections():
    """End every backend on this database except this test's own; returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_the_app_answers_again_after_its_database_connections_were_cut(live_app):
    for _ in range(4):  # both threads of the worker hold a connection
        assert get(live_app, "/")[0] == 200
        assert first_step(live_app) == (200, 302, "/demande/local/")

    assert terminate_app_connections() >= 1

    for _ in range(4):
        status, body = get(live_app, "/")
        assert status == 200, body[:500]
        assert first_step(live_app) == (200, 302, "/demande/local/")
    status, body = get(live_app, "/healthz", host="localhost")
    assert json.loads(body)["database"] == {"status": "up"}
