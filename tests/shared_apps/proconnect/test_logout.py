"""Signing out of a session that came from ProConnect signs out at ProConnect too."""

from urllib.parse import parse_qs, urlsplit

import pytest

from shared_apps.proconnect.session import ID_TOKEN_SESSION_KEY
from tests.conftest import client_for
from tests.factories import PASSWORD, MembershipFactory
from tests.proconnect_local import app_path, identity, press_button

pytestmark = pytest.mark.django_db

CAMILLE = identity("dev-eco@draguignan.demo.boursoloco.fr")


def test_logout_goes_through_proconnect_s_end_session_and_comes_back_home(proconnect, town_a):
    MembershipFactory(territory=town_a, user__email=CAMILLE["email"])
    client = client_for(town_a)
    browser = proconnect.browser()
    callback = browser.sign_in(press_button(client), CAMILLE["email"])
    client.get(app_path(callback))
    id_token = client.session[ID_TOKEN_SESSION_KEY]

    response = client.post("/compte/logout/")

    assert response.status_code == 302
    end_session = urlsplit(response["Location"])
    assert f"{end_session.scheme}://{end_session.netloc}" == proconnect.issuer
    assert end_session.path == "/session/end"
    params = parse_qs(end_session.query)
    assert params["id_token_hint"] == [id_token]
    assert params["post_logout_redirect_uri"] == [f"http://{town_a.host}/"]
    assert len(params["state"][0]) >= 32
    assert client.get("/gestion/").status_code == 302  # signed out here already
    # At ProConnect: its sign-out page submits itself, then back to the town's home page.
    page = browser.open(response["Location"])
    back = browser.submit_form(page)
    assert back.startswith(f"http://{town_a.host}/?state=")
    # ProConnect's own session is over: the next login asks who you are again.
    assert browser.open(press_button(client)).status_code == 200


def test_a_session_opened_otherwise_signs_out_here_only(proconnect, town_a):
    staff = MembershipFactory(territory=town_a).user
    client = client_for(town_a)
    client.post("/compte/login/", {"login": staff.email, "password": PASSWORD})

    response = client.post("/compte/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/"
