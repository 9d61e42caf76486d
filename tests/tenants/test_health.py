"""/healthz reports the database, Redis and the worker heartbeat, on every host."""

import json
import os
import subprocess
import sys

import django_rq
import pytest
from django.conf import settings
from rq import Worker

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_worker():
    """A worker registered in Redis with a fresh heartbeat, as `rqworker` does."""
    queue = django_rq.get_queue("default")
    worker = Worker([queue], connection=queue.connection)
    worker.register_birth()
    worker.heartbeat()
    yield worker
    worker.register_death()


def test_it_is_up_when_everything_is_up(client, live_worker, town_a):
    for response in (client.get("/healthz"), client_for(town_a).get("/healthz")):
        assert response.status_code == 200
        assert response.json() == {
            "database": {"status": "up"},
            "redis": {"status": "up"},
            "worker": {"status": "up"},
            "status": "up",
        }


def test_it_is_down_without_a_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"]["status"] == "down"
    assert response.json()["database"]["status"] == "up"


def test_it_is_down_when_redis_is_unreachable(client, live_worker, settings):
    settings.RQ_QUEUES = {
        name: {**conf, "URL": "redis://127.0.0.1:1/0"} for name, conf in settings.RQ_QUEUES.items()
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"]["status"] == "down"
    assert "Connection" in response.json()["redis"]["error"]


def test_it_is_down_when_the_database_is_unreachable():
    # A separate process whose DATABASE_URL points at a closed port: the middleware
    # that picks the town needs the database, /healthz must not.
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz', HTTP_HOST='ville-a.localhost');"
        "print(r.status_code); print(r.content.decode())"
    )
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing",
        "DJANGO_SETTINGS_MODULE": "boursoloco.settings",
        "REDIS_URL": settings.REDIS_URL,
        "PYTHONPATH": f"{settings.BASE_DIR / 'src'}:{settings.BASE_DIR}",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
        check=True,
    )
    status, body = result.stdout.strip().split("\n", 1)
    assert status == "503"
    assert json.loads(body)["database"]["status"] == "down"
    assert json.loads(body)["redis"]["status"] == "up"
