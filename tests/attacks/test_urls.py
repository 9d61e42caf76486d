"""Every protected URL of a town (read from the URLconf: back-office, kit, dashboard,
partner portal, and whatever is added later), requested without a session, with another
town's session and with another town's ids: refused, nothing leaked, nothing changed."""

import pytest
from django.test import Client

from tenant_apps.calls.models import Application
from tests.attacks.conftest import SECRETS
from tests.attacks.urls import TownUrl, protected_urls
from tests.conftest import client_for, logged_in_client
from tests.factories import PASSWORD, MembershipFactory
from tests.tenant_apps.calls.factories import PDF, ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db

URLS = protected_urls()


# Where a refused visitor may be sent: the login page, or the partner portal's entry
# (its welcome and the partner registration) for someone who is not a partner.
REFUSAL_REDIRECTS = ("/compte/login/?", "/partenaires/", "/partenaires/inscription/")


def assert_refused(response, url, method):
    status = response.status_code
    if status == 302:
        location = response["Location"]
        assert location in REFUSAL_REDIRECTS or location.startswith(REFUSAL_REDIRECTS[0]), (
            f"{method} {url}: redirected to {location}, not to the login page"
        )
    else:
        allowed = (403, 404, 405) if method == "GET" else (403, 404)
        assert status in allowed, f"{method} {url}: {status}, expected a refusal"
    body = response.content.decode(errors="replace")
    leaked = {name: value for name, value in SECRETS.items() if value in body}
    assert not leaked, f"{method} {url} leaked town B's {leaked}"


def attack(client, url, fingerprint):
    before = fingerprint()
    for method in ("GET", "POST"):
        call = client.get if method == "GET" else client.post
        assert_refused(call(url, {}), url, method)
    assert fingerprint() == before, f"POST {url} changed town B"


def test_the_enumeration_covers_the_back_office_and_the_partner_portal():
    namespaces = {url.name.split(":")[0] for url in URLS}
    assert {"backoffice", "kit", "network", "network_admin", "impact"} <= namespaces
    assert len(URLS) >= 40


@pytest.mark.parametrize("url", URLS, ids=str)
def test_without_a_session_every_town_url_is_refused(url, town_b, victim, fingerprint):
    attack(client_for(town_b), url.path(victim), fingerprint)


@pytest.mark.parametrize("url", URLS, ids=str)
def test_staff_of_another_town_are_refused_everywhere(url, town_b, victim, attacker, fingerprint):
    """Town A's admin, logged in on town B's host (the password is right, the town is
    not theirs)."""
    attack(logged_in_client(town_b, attacker), url.path(victim), fingerprint)


@pytest.mark.parametrize("url", [url for url in URLS if url.params], ids=str)
def test_ids_of_another_town_are_refused_to_staff(url, victim, attacker_on_a, fingerprint):
    """Town A's admin, on town A, with town B's ids in the path."""
    attack(attacker_on_a, url.path(victim), fingerprint)


@pytest.mark.parametrize("url", URLS, ids=str)
def test_a_session_cookie_of_one_town_replayed_on_another_is_worth_nothing(
    url, town_a, town_b, victim, fingerprint
):
    """Town B's own agent logs in on B; the cookie, stolen, is replayed against B's URLs
    from town A's host: the session is bound to B's host."""
    insider = MembershipFactory(territory=town_b, role="admin").user
    on_b = client_for(town_b)
    on_b.post("/compte/login/", {"login": insider.email, "password": PASSWORD})
    assert on_b.get("/gestion/").status_code == 200  # the stolen cookie is a live session
    thief = client_for(town_a)
    thief.cookies = on_b.cookies
    attack(thief, url.path(victim), fingerprint)


@pytest.mark.parametrize("url", URLS, ids=str)
def test_state_changing_requests_need_the_csrf_token(url, town_a, own, attacker):
    """Town A's own admin, on town A, posting without the CSRF token: 403 everywhere."""
    client = logged_in_client(town_a, attacker)
    csrf_client = Client(enforce_csrf_checks=True, HTTP_HOST=town_a.host)
    csrf_client.cookies = client.cookies
    response = csrf_client.post(url.path(own), {})
    assert response.status_code == 403, f"POST {url.path(own)}: {response.status_code}"
    assert "CSRF" in response.content.decode()


def test_the_secrets_looked_for_are_shown_to_the_towns_own_staff(town_b, victim):
    """The leak detector's control: town B's admin does see each secret somewhere."""
    insider = logged_in_client(town_b, MembershipFactory(territory=town_b, role="admin").user)
    pages = [
        f"/gestion/demandes/{victim['reference']}/",
        "/gestion/reglages/quartiers/",
        f"/gestion/locaux/{victim['premises']}/",
        "/gestion/reglages/equipe/",
        f"/gestion/appels/{victim['call']}/",
        f"/gestion/appels/{victim['call']}/jury/",
        f"/gestion/essais/{victim['trial']}/",
        "/gestion/reglages/webhooks/",
    ]
    seen = "".join(insider.get(page).content.decode() for page in pages)
    assert {name for name, value in SECRETS.items() if value not in seen} == set()


def test_a_parameter_without_filler_fails_loudly():
    url = TownUrl("backoffice:nouvelle_page", "gestion/truc/<int:truc_id>/", ("truc_id",), ())
    with pytest.raises(LookupError, match="add 'backoffice:nouvelle_page truc_id' to FILLERS"):
        url.path({})


# A juror's own pages, with the GET status each gives a juror of that call (the POST-only
# ones answer 405 to a GET; the home page sends a one-seat juror to their call).
JUROR_PAGES = {
    "jury:home": 302,
    "jury:call": 200,
    "jury:application": 200,
    "jury:business_plan": 200,
    "jury:submit": 405,
    "jury:conflict": 405,
}


@pytest.fixture
def juror_on_a(town_a, in_town, own):
    """Town A's outside juror (no membership), signed in on town A, with the plan of the
    application they judge on disk."""
    with in_town(town_a):
        path = Application.objects.get(pk=own["application"]).plan_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PDF)
    return logged_in_client(town_a, own["juror_user"])


def test_the_juror_pages_are_all_known():
    assert {url.name for url in URLS if url.name.startswith("jury:")} == set(JUROR_PAGES)


@pytest.mark.parametrize("url", URLS, ids=str)
def test_an_outside_juror_reaches_only_the_jury_pages_of_their_own_call(
    url, town_a, own, juror_on_a, fingerprint
):
    """A juror of town A's call, on town A, with town A's own ids: the jury pages of that
    call answer; every other back-office, kit, dashboard or portal URL refuses."""
    if url.name in JUROR_PAGES:
        response = juror_on_a.get(url.path(own))
        if response.streaming:
            b"".join(response.streaming_content)  # read to the end: the plan's file closes
        assert response.status_code == JUROR_PAGES[url.name], url.path(own)
    else:
        attack(juror_on_a, url.path(own), fingerprint)


@pytest.mark.parametrize("url", [url for url in URLS if url.name in JUROR_PAGES], ids=str)
def test_a_juror_reaches_nothing_of_another_call_nor_of_another_town(
    url, town_a, town_b, in_town, own, victim, juror_on_a, fingerprint
):
    with in_town(town_a):
        other = CallFactory()
        other_objects = own | {"call": other.pk, "application": ApplicationFactory(call=other).pk}
    if url.params:
        attack(juror_on_a, url.path(other_objects), fingerprint)
        attack(juror_on_a, url.path(victim), fingerprint)
    attack(logged_in_client(town_b, own["juror_user"]), url.path(victim), fingerprint)
