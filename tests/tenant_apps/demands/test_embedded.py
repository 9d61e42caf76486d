"""The form a town embeds in its own website (/demande/integree/, the kit's integration
code): inside a frame on another site the browser keeps no cookie of the town's, so the
whole journey must work without any — every request here is made with no cookie."""

import html
import re

import pytest

from tenant_apps.demands.models import Demand
from tenant_apps.townsite.models import TownSettings
from tests.conftest import client_for, logged_in_client
from tests.factories import MembershipFactory
from tests.tenant_apps.demands.helpers import CONTACT, PREMISES, PROJECT, SUPPORT

pytestmark = pytest.mark.django_db

URL = "/demande/integree/"
HOST_SITE = "https://www.ville-a.fr"


@pytest.fixture
def declared(town_a, in_town):
    with in_town(town_a):
        TownSettings.objects.update_or_create(pk=1, defaults={"embed_domains": HOST_SITE})


def hidden(response, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', response.text)
    assert match, f"no hidden field {name} in the page"
    return html.unescape(match.group(1))


class Frame:
    """A browser inside a frame on another site: no cookie is ever kept or sent, every
    POST carries the frame's own origin (the town's), as browsers do."""

    def __init__(self, town):
        self.town = town
        self.page = None

    def request(self, method, data=None, origin=None):
        client = client_for(self.town)  # a new client: no cookie from before
        if method == "GET":
            response = client.get(URL)
        else:
            origin = origin or f"http://{self.town.host}"
            response = client.post(URL, data, HTTP_ORIGIN=origin)
        assert not response.cookies, f"{method} set cookies: {list(response.cookies)}"
        self.page = response
        return response

    def send(self, fields, **extra):
        """Submit the step on screen with `fields`, as its form does."""
        data = {
            "etape": hidden(self.page, "etape"),
            "brouillon": hidden(self.page, "brouillon"),
            **fields,
            **extra,
        }
        return self.request("POST", data)


def test_a_porteur_goes_through_every_step_without_any_cookie(town_a, in_town, declared):
    frame = Frame(town_a)
    first = frame.request("GET")
    assert first.status_code == 200
    assert "Étape 1 sur 4" in first.text and "csrfmiddlewaretoken" not in first.text
    assert f"frame-ancestors 'self' {HOST_SITE}" in first["Content-Security-Policy"]

    assert "Étape 2 sur 4" in frame.send(PROJECT).text
    assert "Étape 3 sur 4" in frame.send(PREMISES).text
    # Going back keeps what was typed.
    back = frame.send(SUPPORT, previous="1")
    assert "Étape 2 sur 4" in back.text and 'value="90"' in back.text
    frame.send(PREMISES)
    assert "Étape 4 sur 4" in frame.send(SUPPORT).text
    done = frame.send(CONTACT)

    assert done.status_code == 200
    assert "Votre demande a bien été envoyée" in done.text
    reference = re.search(r"VIL-\d{4}-\d{5}", done.text).group(0)
    with in_town(town_a):
        demand = Demand.objects.get(reference=reference)
        assert (demand.activity, demand.surface_max) == ("Boulangerie artisanale", 90)
        assert demand.support == ["funding", "chambers"]
        assert demand.applicant.email == CONTACT["email"]


def test_a_post_from_another_site_is_refused(town_a, in_town, declared):
    frame = Frame(town_a)
    frame.request("GET")
    data = {"etape": "projet", "brouillon": hidden(frame.page, "brouillon"), **PROJECT}
    response = frame.request("POST", data, origin="https://attaquant.example")
    assert response.status_code == 403
    assert "Accès refusé" in response.text


def test_a_tampered_draft_starts_again(town_a, in_town):
    frame = Frame(town_a)
    frame.request("GET")
    frame.send(PROJECT)
    frame.send(PREMISES)
    frame.send(SUPPORT)
    page = frame.page
    forged = hidden(page, "brouillon")[:-3] + "abc"
    response = frame.request("POST", {"etape": "contact", "brouillon": forged, **CONTACT})
    assert "Étape 1 sur 4" in response.text
    assert "Votre brouillon a expiré" in response.text
    with in_town(town_a):
        assert not Demand.objects.exists()


def test_a_step_cannot_be_skipped(town_a, in_town):
    frame = Frame(town_a)
    frame.request("GET")
    response = frame.send(CONTACT, etape="contact")
    assert "Étape 1 sur 4" in response.text
    assert "Complétez d’abord l’étape" in response.text
    with in_town(town_a):
        assert not Demand.objects.exists()


def test_errors_show_next_to_the_fields(town_a):
    frame = Frame(town_a)
    frame.request("GET")
    response = frame.send({**PROJECT, "activity": ""})
    assert "Étape 1 sur 4" in response.text
    assert "Indiquez votre activité." in response.text


def test_the_old_integration_code_is_sent_to_the_embedded_form(town_a):
    """/demande/ in a frame of another site (a code pasted before /demande/integree/)."""
    response = client_for(town_a).get(
        "/demande/", HTTP_SEC_FETCH_DEST="iframe", HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert (response.status_code, response["Location"]) == (302, URL)
    # On the town's own site, the form keeps its session.
    own = client_for(town_a).get(
        "/demande/", HTTP_SEC_FETCH_DEST="document", HTTP_SEC_FETCH_SITE="none"
    )
    assert own.status_code == 200


@pytest.mark.parametrize(
    ("site", "accepted"),
    [
        ("https://www.ville-a.fr", True),
        ("http://127.0.0.1:8081", True),  # the town's website, in development
        ("http://site-de-la-ville.localhost:8081", True),
        ("http://www.ville-a.fr", False),
        ("javascript:alert(1)", False),
    ],
)
def test_declared_sites_may_be_local_in_development(town_a, site, accepted):
    admin = logged_in_client(town_a, MembershipFactory(territory=town_a, role="admin").user)
    response = admin.post(
        "/gestion/reglages/",
        {
            "embed_domains": site,
            "retention_months": "36",
            "ask_still_searching_after_days": "30",
            "dormant_after_days": "15",
            "remind_team_after_days": "3",
            "alert_partners_on": "qualified",
            "applicant_alert_min_score": "60",
        },
    )
    assert response.status_code == (302 if accepted else 400)
    assert ("n’est pas une adresse de site" in response.text) is not accepted
