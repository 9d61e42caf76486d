"""API tokens: created by a town's admins (national ones by ANCT staff in the console),
hashed at rest, shown once, expiring, revocable after a confirmation, rate-limited, their
use counted and shown, their creation and revocation logged."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from shared_apps.api.models import ApiToken, ApiTokenEvent
from tests.conftest import logged_in_client
from tests.factories import MembershipFactory
from tests.shared_apps.api.conftest import api_client

pytestmark = pytest.mark.django_db

KEY = re.compile(r'value="(bol_[A-Za-z0-9_-]{43})"')


@pytest.fixture
def admin_a(town_a):
    return MembershipFactory(territory=town_a, role="admin").user


def create(client, **data):
    fields = {"name": "Site de la mairie", "scopes": ["premises:read"], "days": "90", **data}
    return client.post("/gestion/reglages/api/", fields)


def test_an_admin_creates_a_token_shown_once_and_stored_hashed(town_a, admin_a):
    client = logged_in_client(town_a, admin_a)
    response = create(client)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    key = KEY.search(response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(list(ApiToken.objects.values()))
    assert token.territory == town_a and token.scopes == ["premises:read"]
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    listing = client.get("/gestion/reglages/api/").content.decode()
    assert key not in listing and token.hint in listing
    event = ApiTokenEvent.objects.get()
    assert (event.action, event.actor) == ("created", admin_a)
    assert api_client(town_a, key).get("/api/v1/premises/").status_code == 200


def test_the_form_refuses_in_french_and_keeps_what_was_typed(town_a, admin_a):
    client = logged_in_client(town_a, admin_a)
    response = create(client, scopes=[], name="Mon SIG")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Cochez au moins un droit." in body and 'value="Mon SIG"' in body
    response = create(client, scopes=["towns:read"])  # a national scope, on a town
    assert "Ce droit n’existe pas pour cet espace." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_agents_and_other_towns_admins_cannot_manage_tokens(town_a, town_b, admin_a):
    agent = MembershipFactory(territory=town_a, role="agent").user
    assert create(logged_in_client(town_a, agent)).status_code == 403
    assert create(logged_in_client(town_b, admin_a)).status_code == 403
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_then_logs_and_cuts_access(town_a, admin_a, issue):
    key = issue(town_a, "premises:read")
    token = ApiToken.objects.get()
    client = logged_in_client(town_a, admin_a)
    ask = client.post(f"/gestion/reglages/api/{token.pk}/revoquer/")
    assert ask.status_code == 200 and "Oui, révoquer le jeton" in ask.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    done = client.post(f"/gestion/reglages/api/{token.pk}/revoquer/", {"confirmation": "oui"})
    assert done.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == admin_a
    assert ApiTokenEvent.objects.filter(action="revoked", actor=admin_a).exists()
    response = api_client(town_a, key).get("/api/v1/premises/")
    assert response.status_code == 401 and response.json()["detail"] == "Ce jeton a été révoqué."


def test_a_town_cannot_revoke_another_towns_token(town_a, town_b, admin_a, issue):
    issue(town_b, "premises:read")
    token = ApiToken.objects.get()
    client = logged_in_client(town_a, admin_a)
    response = client.post(f"/gestion/reglages/api/{token.pk}/revoquer/", {"confirmation": "oui"})
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_expired_token_is_refused(town_a, issue):
    key = issue(town_a, "premises:read")
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api_client(town_a, key).get("/api/v1/premises/")
    assert response.status_code == 401 and "expiré" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_missing_and_unknown_tokens_get_401_problems(town_a):
    for key in (None, "bol_faux"):
        response = api_client(town_a, key).get("/api/v1/premises/")
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"


def test_calls_are_counted_and_shown_to_the_admins(town_a, admin_a, issue, settings):
    key = issue(town_a, "premises:read")
    client = api_client(town_a, key)
    for _ in range(3):
        client.get("/api/v1/premises/")
    # The row is written once per API_USAGE_WRITE_SECONDS; the rest waits in Redis.
    token = ApiToken.objects.get()
    assert token.calls == 1 and token.last_used_at is not None
    page = logged_in_client(town_a, admin_a).get("/gestion/reglages/api/").content.decode()
    assert "3 appels" in page
    settings.API_USAGE_WRITE_SECONDS = 0
    client.get("/api/v1/premises/")
    token.refresh_from_db()
    assert token.calls == 4


def test_each_token_is_rate_limited(town_a, issue, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    first, second = issue(town_a, "premises:read"), issue(town_a, "premises:read")
    statuses = [api_client(town_a, first).get("/api/v1/premises/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = api_client(town_a, first).get("/api/v1/premises/")
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 61
    # Another token of the same town has its own allowance.
    assert api_client(town_a, second).get("/api/v1/premises/").status_code == 200


def test_anct_staff_manage_the_national_tokens_in_the_console(anct, public_territory):
    response = anct.post(
        "/console/api/", {"name": "Observatoire", "scopes": ["towns:read"], "days": "30"}
    )
    key = KEY.search(response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.territory == public_territory
    assert api_client(public_territory, key).get("/api/v1/towns/").status_code == 200
    anct.post(f"/console/api/{token.pk}/revoquer/", {"confirmation": "oui"})
    assert api_client(public_territory, key).get("/api/v1/towns/").status_code == 401
    assert list(ApiTokenEvent.objects.values_list("action", flat=True)) == ["revoked", "created"]


def test_town_staff_cannot_reach_the_console_tokens(town_a, admin_a, client):
    from tests.factories import PASSWORD

    client.post("/compte/login/", {"login": admin_a.email, "password": PASSWORD})
    response = client.post("/console/api/", {"name": "x", "scopes": ["towns:read"], "days": "30"})
    assert response.status_code in (302, 403)
    assert not ApiToken.objects.exists()
