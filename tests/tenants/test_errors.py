"""Every error page (400, 403, CSRF failure, 404, 429, 500, a host that is not ours) is
French and in the DSFR layout, on a town's host and on the national site."""

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import TownClient, client_for, logged_in_client
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def assert_french_dsfr_page(response, status, *texts, town=None):
    assert response.status_code == status, response.content[:300]
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "dsfr.min.css" in html
    assert 'role="banner"' in html and 'class="fr-header' in html
    assert 'role="main"' in html and 'role="contentinfo"' in html and "fr-footer" in html
    assert f"Erreur {status}" in html or status == 404
    for text in texts:
        assert text in html, f"{text!r} not on the {status} page"
    for english in ("Bad Request", "Forbidden", "Not Found", "Too Many Requests", "Server Error"):
        assert english not in html
    if town is not None:
        assert town.name in html  # the town's own layout


@pytest.fixture(params=["town", "national"])
def site(request, town_a):
    """(client of the host, the town whose layout is expected or None)."""
    if request.param == "town":
        return client_for(town_a), town_a
    return TownClient(HTTP_HOST=settings.BASE_DOMAIN), None


def test_404(site):
    client, town = site
    response = client.get("/nulle-part/")
    assert_french_dsfr_page(response, 404, "Page non trouvée", "Erreur 404", town=town)


def test_400_on_a_suspicious_request(site):
    """Too many fields is a SuspiciousOperation: Django answers through handler400."""
    client, town = site
    fields = {f"champ{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post("/compte/login/", fields)
    assert_french_dsfr_page(response, 400, "Requête incorrecte", town=town)


def test_403(town_a):
    stranger = MembershipFactory(territory=town_a).user
    response = logged_in_client(town_a, stranger).get("/gestion/")
    assert response.status_code == 200  # control: their own town
    other = UserFactory()
    MembershipFactory(user=other, territory=town_a, is_active=False)
    response = logged_in_client(town_a, other).get("/gestion/")
    assert_french_dsfr_page(response, 403, "Accès refusé", town=town_a)


def test_403_on_the_national_site(client):
    client.force_login(UserFactory())
    response = client.get("/console/")
    assert_french_dsfr_page(response, 403, "Accès refusé")


def test_csrf_failure(site):
    client, town = site
    strict = Client(enforce_csrf_checks=True, HTTP_HOST=client.defaults["HTTP_HOST"])
    response = strict.post("/compte/login/", {"login": "x@example.fr", "password": "x"})
    assert_french_dsfr_page(response, 403, "Formulaire expiré", "CSRF", town=town)


def test_429_from_allauths_login_rate_limit(site, settings):
    client, town = site
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    statuses = [
        client.post("/compte/login/", {"login": "x@example.fr", "password": "faux"}).status_code
        for _ in range(2)
    ]
    response = client.post("/compte/login/", {"login": "x@example.fr", "password": "faux"})
    assert statuses == [200, 200]
    assert_french_dsfr_page(response, 429, "Trop de tentatives", town=town)


def test_500(site, settings):
    client, town = site
    settings.ROOT_URLCONF = "tests.tenants.urls_failing"
    settings.PUBLIC_SCHEMA_URLCONF = "tests.tenants.urls_failing_national"
    client.raise_request_exception = False
    response = client.get("/panne/")
    assert_french_dsfr_page(response, 500, "Erreur inattendue", town=town)


@pytest.mark.parametrize("host", ["evil.example.com", "localhost.example.com"])
def test_a_host_that_is_not_ours(client, host):
    response = client.get("/", HTTP_HOST=host)
    assert_french_dsfr_page(response, 400, "Adresse non reconnue")


def test_an_unknown_town(client):
    response = client.get("/", HTTP_HOST="inconnue.localhost")
    assert_french_dsfr_page(response, 404, "ne correspond à aucune collectivité")
