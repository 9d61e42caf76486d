"""Signing in through ProConnect (the local provider, a real OpenID provider): existing
accounts linked by email, new accounts, the claims kept, and refused answers."""

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.internal import statekit
from allauth.socialaccount.models import SocialAccount
from django.test import RequestFactory
from django.urls import reverse

from shared_apps.accounts.models import User
from shared_apps.accounts.signals import SESSION_TERRITORY_KEY
from shared_apps.proconnect.session import PROCONNECT_SESSION_KEY, session_claims
from tests.conftest import client_for
from tests.factories import PASSWORD, MembershipFactory, PartnerMemberFactory, UserFactory
from tests.proconnect_local import app_path, identity, press_button, sign_in

pytestmark = pytest.mark.django_db

CAMILLE = identity("dev-eco@draguignan.demo.boursoloco.fr")
ANCT = identity("anct@demo.boursoloco.fr")
AGENCY = identity("agence@draguignan.demo.boursoloco.fr")
NEWCOMER = identity("dev-eco@frejus.demo.boursoloco.fr")
CLAIMS = ("email", "given_name", "usual_name", "siret", "uid", "idp_id")


def expected_claims(person):
    return {name: person[name] for name in CLAIMS}


def test_a_town_agent_is_signed_in_on_the_town_host_and_linked_by_email(proconnect, town_a, town_b):
    agent = MembershipFactory(territory=town_a, user__email=CAMILLE["email"]).user
    client = client_for(town_a)

    response = sign_in(client, proconnect, CAMILLE["email"])

    assert response.status_code == 302, response.text
    assert response["Location"] == "/gestion/"
    assert client.get("/gestion/").status_code == 200
    account = SocialAccount.objects.get(user=agent, provider="proconnect")
    assert account.uid == CAMILLE["sub"]
    assert User.objects.filter(email=CAMILLE["email"]).count() == 1
    # The session belongs to this town's host only.
    assert client.session[SESSION_TERRITORY_KEY] == town_a.schema_name
    stolen = client_for(town_b)
    stolen.cookies = client.cookies
    assert stolen.get("/gestion/").status_code == 302


def test_the_claims_are_kept_on_the_account_and_in_the_session(proconnect, town_a):
    agent = MembershipFactory(territory=town_a, user__email=CAMILLE["email"]).user
    client = client_for(town_a)

    sign_in(client, proconnect, CAMILLE["email"])

    account = SocialAccount.objects.get(user=agent)
    assert {name: account.extra_data[name] for name in CLAIMS} == expected_claims(CAMILLE)
    assert client.session[PROCONNECT_SESSION_KEY] == expected_claims(CAMILLE)
    assert client.session[PROCONNECT_SESSION_KEY]["siret"] == "21830050700017"

    request = RequestFactory().get("/")
    request.session, request.user = client.session, agent
    assert session_claims(request) == expected_claims(CAMILLE)


def test_a_person_with_no_account_gets_one_named_by_proconnect(proconnect, client):
    response = sign_in(client, proconnect, NEWCOMER["email"])

    assert response.status_code == 302, response.text
    user = User.objects.get(email=NEWCOMER["email"])
    assert (user.first_name, user.last_name) == ("Léa", "Moreau")
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert SocialAccount.objects.get(user=user).extra_data["siret"] == NEWCOMER["siret"]
    assert client.session[PROCONNECT_SESSION_KEY] == expected_claims(NEWCOMER)
    assert client.get("/compte/email/").status_code == 200  # signed in


def test_password_sign_up_stays_closed(proconnect, client):
    response = client.post(
        "/compte/signup/",
        {"email": "quelquun@example.fr", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="quelquun@example.fr").exists()


def test_a_partner_signs_in_nationally_and_lands_on_the_partner_portal(proconnect, client):
    PartnerMemberFactory(user__email=AGENCY["email"])

    response = sign_in(client, proconnect, AGENCY["email"])

    assert response["Location"] == "/partenaires/"
    assert client.session[PROCONNECT_SESSION_KEY]["siret"] == AGENCY["siret"]


def test_the_next_page_asked_for_is_kept_through_proconnect(proconnect, town_a):
    MembershipFactory(territory=town_a, user__email=CAMILLE["email"])
    client = client_for(town_a)

    response = sign_in(client, proconnect, CAMILLE["email"], next="/gestion/locaux/")

    assert response["Location"] == "/gestion/locaux/"


def test_anct_staff_still_need_their_second_factor(proconnect, client):
    user = UserFactory(anct=True, email=ANCT["email"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    response = sign_in(client, proconnect, ANCT["email"])

    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/console/").status_code == 302  # not signed in yet
    response = client.post("/compte/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == "/console/"
    assert client.get("/console/").status_code == 200
    assert client.session[PROCONNECT_SESSION_KEY] == expected_claims(ANCT)


def test_a_bad_nonce_is_refused(proconnect, town_a):
    MembershipFactory(territory=town_a, user__email=CAMILLE["email"])
    client = client_for(town_a)
    callback = proconnect.browser().sign_in(press_button(client), CAMILLE["email"])
    # The ID token's nonce no longer matches the one this login keeps (a replayed token).
    session = client.session
    states = session[statekit.STATES_SESSION_KEY]
    for state, _at, _provider in states.values():
        state["nonce"] = "x" * 43
    session[statekit.STATES_SESSION_KEY] = states
    session.save()

    response = client.get(app_path(callback))

    assert response.status_code == 401
    assert "ne correspond pas à cette demande de connexion" in response.text
    assert client.get("/gestion/").status_code == 302


def test_an_unknown_state_is_refused(proconnect, town_a):
    MembershipFactory(territory=town_a, user__email=CAMILLE["email"])
    client = client_for(town_a)
    callback = proconnect.browser().sign_in(press_button(client), CAMILLE["email"])
    # The same answer, in another browser (no login of this browser waits for it).
    other = client_for(town_a)

    response = other.get(app_path(callback))

    assert response.status_code == 401
    assert "Cette demande de connexion a expiré" in response.text
    assert other.get("/gestion/").status_code == 302


def test_a_forged_state_is_refused(proconnect, town_a):
    client = client_for(town_a)
    press_button(client)
    response = client.get("/compte/proconnect/login/callback/?code=abc&state=" + "x" * 43)
    assert response.status_code == 401
    assert "Cette demande de connexion a expiré" in response.text


@pytest.mark.parametrize(
    ("client_id", "message"),
    [
        ("boursoloco-unsigned", "sans les signer"),
        ("boursoloco-tampered", "La signature des informations renvoyées"),
    ],
)
def test_a_userinfo_that_is_not_signed_by_proconnect_is_refused(
    local_proconnect, settings, town_a, client_id, message
):
    for name, value in local_proconnect.settings(client_id).items():
        setattr(settings, name, value)
    MembershipFactory(territory=town_a, user__email=CAMILLE["email"])
    client = client_for(town_a)

    response = sign_in(client, local_proconnect, CAMILLE["email"])

    assert response.status_code == 401
    assert message in response.text
    assert "La connexion avec ProConnect n’a pas abouti" in response.text
    assert client.get("/gestion/").status_code == 302
    assert PROCONNECT_SESSION_KEY not in client.session
    assert not SocialAccount.objects.exists()


def test_an_unreachable_proconnect_is_said_in_french(settings, client):
    settings.PROCONNECT_ISSUER = "http://127.0.0.1:9"  # nothing listens there
    settings.PROCONNECT_CLIENT_ID = settings.PROCONNECT_CLIENT_SECRET = "x"

    response = client.post("/compte/proconnect/login/")

    assert response.status_code == 401
    assert "ProConnect ne répond pas pour le moment" in response.text


def test_a_login_of_another_kind_leaves_no_proconnect_claims(town_a):
    staff = MembershipFactory(territory=town_a).user
    client = client_for(town_a)
    session = client.session
    session[PROCONNECT_SESSION_KEY] = expected_claims(CAMILLE)
    session.save()

    client.post("/compte/login/", {"login": staff.email, "password": PASSWORD})

    assert client.get("/gestion/").status_code == 200
    assert PROCONNECT_SESSION_KEY not in client.session
