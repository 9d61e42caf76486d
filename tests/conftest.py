"""Root fixtures: one test database per xdist worker holding the public tenant and two
towns, created once per session; a Redis database claimed per worker; the run's
PostgreSQL connections counted against a budget (tests/shared_services.py)."""

import os
import uuid

import dj_database_url
import django_rq
import psycopg
import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, TestCase
from django_tenants.utils import schema_context

from tenants.enums import TerritoryKind, TerritoryStatus
from tenants.models import Territory
from tenants.provisioning import ensure_public_territory, provision_territory
from tests.shared_services import (
    CONNECTION_BUDGET,
    ConnectionSampler,
    claim_redis_database,
    release_redis,
    reset_redis,
    run_name,
)

# The local ProConnect, a real OpenID provider (fixture `local_proconnect`).
pytest_plugins = ["tests.proconnect_local"]

TOWNS = {
    "town_a": {"slug": "ville-a", "name": "Ville A", "kind": TerritoryKind.COMMUNE},
    "town_b": {"slug": "ville-b", "name": "Ville B", "kind": TerritoryKind.COMMUNE},
}


def pytest_configure(config):
    # Every connection of this run, in every process it starts, carries its name.
    if not os.environ.get("PGAPPNAME", "").startswith("boursoloco-test-"):
        os.environ["PGAPPNAME"] = f"boursoloco-test-{uuid.uuid4().hex[:12]}"
    # Each process gets a Redis database of its own, claimed (never one in use by anything
    # else, tests/shared_services.py): queues, cache and rate limits of parallel test
    # processes never meet, nor those of `make run` or of another run.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker and config.getoption("numprocesses", None):
        return  # the controller of an xdist run: its workers run the tests
    worker = worker or "gw0"
    owner = os.environ["TEST_REDIS_OWNER"] = f"{run_name()}-{worker}"
    server, _, first = settings.REDIS_URL.rpartition("/")
    index = claim_redis_database(server, int(first or 0) + 1, owner)
    settings.REDIS_URL = f"{server}/{index}"
    settings.CACHES["default"]["LOCATION"] = settings.REDIS_URL
    for queue in settings.RQ_QUEUES.values():
        queue["URL"] = settings.REDIS_URL
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.GEOCODER_URL = ""  # no test reaches the internet (tests that geocode set it)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = settings.BASE_DIR / "var" / f"test-media-{worker}"
    settings.PRIVATE_ROOT = settings.BASE_DIR / "var" / f"test-private-{worker}"


def pytest_unconfigure(config):
    if "TEST_REDIS_OWNER" not in os.environ:
        return
    with redis.Redis.from_url(settings.REDIS_URL) as connection:
        release_redis(connection, os.environ["TEST_REDIS_OWNER"])


def pytest_sessionstart(session):
    """The controller (or the only process) watches the run's PostgreSQL connections."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    database = dj_database_url.parse(settings.DATABASE_URL)
    conninfo = psycopg.conninfo.make_conninfo(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database["PASSWORD"],
        dbname="postgres",
    )
    session.config.connection_sampler = ConnectionSampler(conninfo, run_name())
    session.config.connection_sampler.start()


def pytest_sessionfinish(session):
    sampler = getattr(session.config, "connection_sampler", None)
    if sampler is None:
        return
    peak = sampler.stop()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    line = f"PostgreSQL connections: peak {peak} of a budget of {CONNECTION_BUDGET}"
    if peak > CONNECTION_BUDGET:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        line += " — over budget: the run fails (tests/shared_services.py)"
    if reporter:
        reporter.write_line(line)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_public_territory()
        for spec in TOWNS.values():
            if not Territory.objects.filter(slug=spec["slug"]).exists():
                provision_territory(status=TerritoryStatus.OPEN, **spec)


@pytest.fixture(autouse=True)
def _clean_redis():
    reset_redis(django_rq.get_connection("default"))
    yield


@pytest.fixture
def town_a(db):
    return Territory.objects.get(slug=TOWNS["town_a"]["slug"])


@pytest.fixture
def town_b(db):
    return Territory.objects.get(slug=TOWNS["town_b"]["slug"])


@pytest.fixture
def public_territory(db):
    return Territory.objects.get(schema_name=settings.PUBLIC_SCHEMA_NAME)


class TownClient(Client):
    """Requests behave as in production around the test's transaction: what they
    deferred to the commit runs when they end, and the connection goes back to the
    public schema so that the test's own ORM calls never run in a town by accident."""

    def request(self, **request):
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                return super().request(**request)
        finally:
            connection.set_schema_to_public()


def client_for(territory):
    """A test client whose requests reach `territory`'s host."""
    return TownClient(HTTP_HOST=territory.host)


@pytest.fixture
def client():
    return TownClient(HTTP_HOST=settings.BASE_DOMAIN)


@pytest.fixture(autouse=True)
def _public_schema_first():
    connection.set_schema_to_public()


def logged_in_client(territory, user):
    """A client of `territory` with `user` logged in there (as a login on that host would)."""
    client = client_for(territory)
    with schema_context(territory.schema_name):
        client.force_login(user)
    return client


@pytest.fixture
def in_town():
    """`with in_town(town):` runs ORM calls inside that town's schema."""

    def enter(territory):
        return schema_context(territory.schema_name)

    return enter


@pytest.fixture
def committed_db(django_db_setup, django_db_blocker):
    """Real commits, for what needs another connection or process (pg_dump, schemas).
    Whatever a test creates here, it removes."""
    with django_db_blocker.unblock():
        yield
    cache.clear()
