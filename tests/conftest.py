"""Root fixtures: one test database per xdist worker holding the public tenant and two
towns, created once per session; a Redis database per worker."""

import os

import django_rq
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, TestCase
from django_tenants.utils import schema_context

from tenants.enums import TerritoryKind, TerritoryStatus
from tenants.models import Territory
from tenants.provisioning import ensure_public_territory, provision_territory

# The local ProConnect, a real OpenID provider (fixture `local_proconnect`).
pytest_plugins = ["tests.proconnect_local"]

TOWNS = {
    "town_a": {"slug": "ville-a", "name": "Ville A", "kind": TerritoryKind.COMMUNE},
    "town_b": {"slug": "ville-b", "name": "Ville B", "kind": TerritoryKind.COMMUNE},
}


def pytest_configure(config):
    # Each xdist worker gets its own Redis database (1, 2, ... after the one REDIS_URL
    # names): queues, cache and rate limits of parallel test processes never meet, nor
    # those of `make run` (database 0). Two suites may run side by side when each has its
    # own DATABASE_URL and REDIS_URL (e.g. redis://127.0.0.1:6379/8).
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    server, _, first = settings.REDIS_URL.rpartition("/")
    index = int(first or 0) + 1 + int(worker.removeprefix("gw") or 0)
    settings.REDIS_URL = f"{server}/{index}"
    settings.CACHES["default"]["LOCATION"] = settings.REDIS_URL
    for queue in settings.RQ_QUEUES.values():
        queue["URL"] = settings.REDIS_URL
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.GEOCODER_URL = ""  # no test reaches the internet (tests that geocode set it)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = settings.BASE_DIR / "var" / f"test-media-{index}"
    settings.PRIVATE_ROOT = settings.BASE_DIR / "var" / f"test-private-{index}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_public_territory()
        for spec in TOWNS.values():
            if not Territory.objects.filter(slug=spec["slug"]).exists():
                provision_territory(status=TerritoryStatus.OPEN, **spec)


@pytest.fixture(autouse=True)
def _clean_redis():
    django_rq.get_connection("default").flushdb()
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
