"""The load benchmark's floor view exists only when BENCH_FLOOR_VIEW is on."""

import importlib

import pytest
from django.urls import Resolver404, clear_url_caches, resolve

from boursoloco import urls_tenants
from tenant_apps.mailing.models import OutboundEmail
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def floor_view_on(settings):
    settings.BENCH_FLOOR_VIEW = True
    importlib.reload(urls_tenants)
    clear_url_caches()
    yield
    settings.BENCH_FLOOR_VIEW = False
    importlib.reload(urls_tenants)
    clear_url_caches()


def test_the_floor_view_is_not_mounted_by_default(town_a, settings):
    assert settings.BENCH_FLOOR_VIEW is False
    with pytest.raises(Resolver404):
        resolve("/banc/plancher/", urlconf="boursoloco.urls_tenants")
    assert client_for(town_a).post("/banc/plancher/").status_code == 404


def test_the_floor_view_inserts_one_row_in_the_town(town_a, town_b, in_town, floor_view_on):
    response = client_for(town_a).post("/banc/plancher/")

    assert response.status_code == 200
    with in_town(town_a):
        assert OutboundEmail.objects.filter(key__startswith="bench-floor:").count() == 1
        assert OutboundEmail.objects.pending().count() == 0  # nothing to deliver
    with in_town(town_b):
        assert not OutboundEmail.objects.exists()
