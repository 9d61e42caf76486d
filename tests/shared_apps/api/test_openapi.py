"""The OpenAPI 3.1 documents of both hosts validate; the docs are served by the app
itself, from its own static files (no CDN); nothing under /api/ answers in HTML."""

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

from tenants.enums import TerritoryStatus
from tests.shared_apps.api.conftest import api_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("host", ["town", "national"])
def test_the_openapi_document_validates(host, town_a, public_territory):
    territory = town_a if host == "town" else public_territory
    response = api_client(territory).get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    validate(document)
    paths = set(document["paths"])
    expected = "/api/v1/demands/" if host == "town" else "/api/v1/towns/"
    assert expected in paths
    # Every operation declares the bearer token.
    for operations in document["paths"].values():
        for operation in operations.values():
            assert operation.get("security"), operation["operationId"]


@pytest.mark.parametrize("host", ["town", "national"])
def test_the_docs_are_served_from_the_apps_own_static_files(host, town_a, public_territory):
    territory = town_a if host == "town" else public_territory
    response = api_client(territory).get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn" not in page.lower() and "https://" not in page
    assert f"{settings.STATIC_URL}ninja/swagger-ui-bundle.js" in page
    assert finders.find("ninja/swagger-ui-bundle.js")
    assert "/api/v1/openapi.json" in page


def test_nothing_under_api_answers_in_html(town_a, town_b, issue):
    client = api_client(town_a, issue(town_a, "premises:read"))
    for path, status in (
        ("/api/v1/nulle-part/", 404),
        ("/api/", 404),
        ("/api/v1/premises/99999/", 404),
    ):
        response = client.get(path)
        assert response.status_code == status, path
        assert response["Content-Type"] == "application/problem+json", path
    response = client.delete("/api/v1/premises/")
    assert response.status_code == 405 and response["Content-Type"] == "application/problem+json"
    unknown = api_client(town_a).get(
        "/api/v1/demands/", HTTP_HOST=f"inconnue.{settings.BASE_DOMAIN}"
    )
    assert unknown.status_code == 404 and unknown["Content-Type"] == "application/problem+json"
    town_b.set_status(TerritoryStatus.SUSPENDED)
    suspended = api_client(town_b).get("/api/v1/demands/")
    assert suspended.status_code == 503
    assert suspended["Content-Type"] == "application/problem+json"


def test_a_crash_is_a_problem_too(town_a, in_town, issue, monkeypatch):
    from shared_apps.api import town
    from tests.factories import DemandFactory

    def broken(*args, **kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(town, "demand_out", broken)
    with in_town(town_a):
        DemandFactory()
    client = api_client(town_a, issue(town_a, "demands:read"))
    client.raise_request_exception = False
    response = client.get("/api/v1/demands/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert "panne" not in response.content.decode()
