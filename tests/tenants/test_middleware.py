"""Unknown and suspended towns get plain French pages, never a stack trace."""

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_an_unknown_subdomain_gets_a_friendly_404(client):
    response = client.get("/", HTTP_HOST="inconnue.localhost")
    assert response.status_code == 404
    assert "ne correspond à aucune collectivité" in response.text
    assert "inconnue.localhost" in response.text
    assert '<html lang="fr"' in response.text


def test_an_unknown_subdomain_is_404_on_every_path(client):
    response = client.get("/gestion/demandes/", HTTP_HOST="inconnue.localhost")
    assert response.status_code == 404
    assert "ne correspond à aucune collectivité" in response.text


def test_a_foreign_host_is_refused(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code in (400, 404)


def test_a_suspended_town_shows_service_suspended(town_a):
    town_a.suspend()
    for path in ("/", "/gestion/", "/compte/login/"):
        response = client_for(town_a).get(path)
        assert response.status_code == 503
        assert "Service suspendu" in response.text
        assert town_a.name in response.text


def test_an_open_town_shows_its_name_and_accent_colour(town_a):
    town_a.accent_color = "#b34000"
    town_a.save()
    response = client_for(town_a).get("/")
    assert response.status_code == 200
    assert "Ville A" in response.text
    assert "--town-accent: #b34000" in response.text


def test_a_pre_opening_town_says_it_awaits_validation(town_b):
    town_b.status = "pre_opening"
    town_b.save()
    response = client_for(town_b).get("/")
    assert response.status_code == 200
    assert "pré-ouverture" in response.text


def test_the_national_site_lists_open_towns(client, town_a, town_b):
    town_b.suspend()
    response = client.get("/")
    assert response.status_code == 200
    assert "Ville A" in response.text
    assert "Ville B" not in response.text


def test_pages_have_landmarks_skip_links_and_titles(client, town_a):
    for response in (
        client.get("/"),
        client_for(town_a).get("/"),
        client.get("/mentions-legales/"),
        client_for(town_a).get("/accessibilite/"),
        client.get("/conditions-utilisation/"),
        client.get("/inscription/"),
    ):
        assert response.status_code == 200
        html = response.text
        assert 'class="fr-skiplinks"' in html
        assert 'role="banner"' in html and 'role="main"' in html and 'role="contentinfo"' in html
        assert "<title>" in html and "Accessibilité : non conforme" in html


@pytest.mark.parametrize(
    "host",
    ["VILLE-A.localhost", "ville-a.localhost.", "Ville-A.LOCALHOST.", "ville-a.localhost.:8000"],
)
def test_host_names_are_case_insensitive_and_may_end_with_a_dot(host, client, town_a):
    """DNS ignores case and a final dot: both name the same town."""
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 200
    assert "Ville A" in response.text
    assert "ne correspond à aucune collectivité" not in response.text


@pytest.mark.parametrize("host", ["LOCALHOST", "localhost."])
def test_the_national_host_is_case_insensitive_and_may_end_with_a_dot(host, client):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 200
    assert "ne correspond à aucune collectivité" not in response.text
