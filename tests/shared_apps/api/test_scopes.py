"""Every route of both APIs, read from the APIs themselves, against every scope: a route
without a scope rule fails here; a token answers only on its own territory's host."""

import re

import pytest

from shared_apps.api import national, town
from shared_apps.api.auth import TokenAuth
from shared_apps.api.enums import NATIONAL_SCOPES, TOWN_SCOPES, Scope
from tests.factories import DemandFactory, PremisesFactory
from tests.shared_apps.api.conftest import api_client

pytestmark = pytest.mark.django_db


def routes(api):
    """(method, path, scope) of every operation of `api`; fails on one without exactly
    one TokenAuth."""
    found = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                rules = [auth for auth in operation.auth_callbacks if isinstance(auth, TokenAuth)]
                assert len(rules) == 1 and len(operation.auth_callbacks) == 1, (
                    f"{operation.methods} {path} has no scope rule: give it auth=TokenAuth(...)"
                )
                for method in operation.methods:
                    found.append((method, prefix + path, rules[0].scope))
    return found


TOWN_ROUTES = routes(town.api)
NATIONAL_ROUTES = routes(national.api)


def test_the_walk_sees_every_resource():
    paths = {path for _, path, _ in TOWN_ROUTES}
    assert {"/demands/", "/demands/{reference}/events/", "/premises/", "/proposals/"} <= paths
    assert {"/partners/", "/dashboard/"} <= paths
    assert {("POST", "/premises/"), ("PATCH", "/premises/{premises_id}/")} <= {
        (method, path) for method, path, _ in TOWN_ROUTES
    }
    assert {path for _, path, _ in NATIONAL_ROUTES} == {
        "/towns/",
        "/towns/{slug}/",
        "/towns/{slug}/open-data/",
    }
    assert {scope for *_, scope in TOWN_ROUTES} <= set(TOWN_SCOPES)
    assert {scope for *_, scope in NATIONAL_ROUTES} <= set(NATIONAL_SCOPES)


def test_a_route_without_a_scope_rule_fails_the_walk():
    from ninja import NinjaAPI

    careless = NinjaAPI(urls_namespace="careless")

    @careless.get("/secrets/")
    def secrets(request):
        return {}

    with pytest.raises(AssertionError, match="no scope rule"):
        routes(careless)


def fill(path, values):
    return "/api/v1" + re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def call(client, method, path):
    if method == "GET":
        return client.get(path)
    return client.generic(method, path, "{}", content_type="application/json")


@pytest.mark.parametrize("scope", TOWN_SCOPES, ids=str)
def test_every_town_route_against_every_scope(scope, town_a, in_town, issue):
    with in_town(town_a):
        values = {"reference": DemandFactory().reference, "premises_id": PremisesFactory().pk}
    client = api_client(town_a, issue(town_a, scope))
    for method, path, needed in TOWN_ROUTES:
        response = call(client, method, fill(path, values))
        if scope == needed:
            assert response.status_code in (200, 201, 422), (method, path, response.content)
        else:
            assert response.status_code == 403, (
                method,
                path,
                scope,
                response.status_code,
            )
            assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("scope", NATIONAL_SCOPES, ids=str)
def test_every_national_route_against_every_scope(scope, town_a, public_territory, issue):
    client = api_client(public_territory, issue(public_territory, scope))
    for method, path, needed in NATIONAL_ROUTES:
        response = call(client, method, fill(path, {"slug": town_a.slug}))
        if scope == needed:
            # town_a publishes no open data: a clean 404 is its route's answer.
            assert response.status_code in (200, 404), (method, path, response.content)
            assert response.status_code == 200 or "open-data" in path
        else:
            assert response.status_code == 403, (method, path, scope)


@pytest.mark.parametrize("scope", TOWN_SCOPES, ids=str)
def test_a_town_token_is_refused_on_another_town_and_nationally(
    scope, town_a, town_b, public_territory, issue
):
    key = issue(town_a, scope)
    for method, path, _ in TOWN_ROUTES:
        path = fill(path, {"reference": "X", "premises_id": 1})
        response = call(api_client(town_b, key), method, path)
        assert response.status_code == 401, (method, path)
        assert response.json()["detail"] == "Jeton inconnu sur cet espace."
    for method, path, _ in NATIONAL_ROUTES:
        response = call(api_client(public_territory, key), method, fill(path, {"slug": "ville-a"}))
        assert response.status_code == 401


def test_a_token_holds_only_scopes_of_its_own_site(town_a, public_territory, issue):
    with pytest.raises(ValueError):
        issue(town_a, Scope.TOWNS_READ)
    with pytest.raises(ValueError):
        issue(public_territory, Scope.DEMANDS_READ)


def test_a_national_token_is_refused_on_a_town(town_a, public_territory, issue):
    key = issue(public_territory, *NATIONAL_SCOPES)
    response = api_client(town_a, key).get("/api/v1/demands/")
    assert response.status_code == 401
