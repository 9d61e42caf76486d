"""The national API: the open towns and their rolled-up figures, and the open data of the
towns that publish it."""

import pytest

from shared_apps.national.models import TownStats
from tenant_apps.townsite.models import TownSettings
from tenants.enums import TerritoryStatus
from tests.shared_apps.api.conftest import api_client

pytestmark = pytest.mark.django_db


def test_towns_come_with_their_rolled_up_figures(town_a, town_b, public_territory, issue):
    TownStats.objects.create(territory=town_a, open_demands=12, installed_total=3)
    town_b.set_status(TerritoryStatus.SUSPENDED)
    client = api_client(public_territory, issue(public_territory, "towns:read"))
    items = client.get("/api/v1/towns/").json()["items"]
    by_slug = {item["slug"]: item for item in items}
    assert town_b.slug not in by_slug
    assert by_slug[town_a.slug]["stats"]["open_demands"] == 12
    assert by_slug[town_a.slug]["api_url"].endswith("/api/v1/")
    assert client.get(f"/api/v1/towns/{town_b.slug}/").status_code == 404


def test_open_data_only_of_towns_that_publish_it(town_a, in_town, public_territory, issue):
    client = api_client(public_territory, issue(public_territory, "opendata:read"))
    refused = client.get(f"/api/v1/towns/{town_a.slug}/open-data/")
    assert refused.status_code == 404 and "ne publie pas" in refused.json()["detail"]
    with in_town(town_a):
        settings = TownSettings.load()
        settings.publish_open_data = True
        settings.save()
    published = client.get(f"/api/v1/towns/{town_a.slug}/open-data/")
    assert published.status_code == 200
    assert published.json() == api_client(town_a).get("/donnees-ouvertes.json").json()
