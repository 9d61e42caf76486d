"""The ProConnect button on every login page, on towns and nationally; nothing of
ProConnect when it is not configured."""

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LOGIN_PAGES = ["/compte/login/", "/compte/login/code/"]


@pytest.mark.parametrize("path", LOGIN_PAGES)
def test_the_login_pages_show_proconnect_s_button_on_towns_and_nationally(
    proconnect, client, town_a, path
):
    for response in (client.get(path), client_for(town_a).get(path)):
        assert response.status_code == 200
        page = response.text
        assert 'class="fr-connect proconnect-button"' in page
        assert "S’identifier avec</span>" in page
        assert '<span class="fr-connect__brand">ProConnect</span>' in page
        assert 'action="/compte/proconnect/login/"' in page
        assert 'href="https://www.proconnect.gouv.fr/"' in page
        assert "Qu’est-ce que ProConnect ?" in page
        assert 'title="Qu’est-ce que ProConnect ? - nouvelle fenêtre"' in page


def test_the_code_confirmation_page_offers_proconnect_too(proconnect, town_a):
    client = client_for(town_a)
    client.post("/compte/login/code/", {"email": "quelquun@example.fr"})
    response = client.get("/compte/login/code/confirm/")
    assert response.status_code == 200
    assert "fr-connect proconnect-button" in response.text


def test_the_button_carries_the_page_asked_for(proconnect, town_a):
    response = client_for(town_a).get("/compte/login/?next=/gestion/locaux/")
    assert '<input type="hidden" name="next" value="/gestion/locaux/">' in response.text


@pytest.mark.parametrize("path", LOGIN_PAGES)
def test_without_its_settings_proconnect_is_off(settings, client, path):
    settings.PROCONNECT_ISSUER = ""

    assert "ProConnect" not in client.get(path).text
    assert client.post("/compte/proconnect/login/").status_code == 404
    assert client.get("/compte/proconnect/login/callback/?code=a&state=b").status_code == 404
