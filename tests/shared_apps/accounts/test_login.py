"""Login by password and by emailed code, on towns and nationally; ANCT needs a second factor."""

import re

import pyotp
import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail

from tests.conftest import client_for
from tests.factories import PASSWORD, MembershipFactory, PartnerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_town_staff_log_in_with_a_password_and_land_in_the_back_office(town_a):
    staff = MembershipFactory(territory=town_a).user
    client = client_for(town_a)

    response = client.post("/compte/login/", {"login": staff.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/gestion/"
    assert client.get("/gestion/").status_code == 200


def test_a_wrong_password_is_refused_in_french(town_a):
    staff = MembershipFactory(territory=town_a).user
    response = client_for(town_a).post(
        "/compte/login/", {"login": staff.email, "password": "pas-le-bon"}
    )
    assert response.status_code == 200
    assert "incorrect" in response.text
    assert staff.email in response.text  # what was typed stays in the form


def login_by_code(client, email):
    response = client.post("/compte/login/code/", {"email": email})
    assert response.status_code == 302, response.text
    code = re.search(r"^(\d{6})$", mail.outbox[-1].body, re.M).group(1)
    return client.post("/compte/login/code/confirm/", {"code": code})


def test_staff_and_partners_get_the_six_digit_codes_of_registration_and_onboarding(town_a):
    staff = MembershipFactory(territory=town_a).user
    partner = PartnerMemberFactory().user
    codes = []
    for user in (staff, partner):
        client = client_for(town_a)
        client.post("/compte/login/code/", {"email": user.email})
        assert mail.outbox[-1].to == [user.email]
        codes += re.findall(r"^([0-9A-Z-]{6,9})$", mail.outbox[-1].body, re.M)
    assert len(codes) == 2 and all(re.fullmatch(r"\d{6}", code) for code in codes), codes
    page = client.get("/compte/login/code/confirm/").text
    assert "Code reçu par courriel" in page and 'inputmode="numeric"' in page


def test_town_staff_log_in_without_password_with_an_emailed_code(town_a):
    staff = MembershipFactory(territory=town_a).user
    client = client_for(town_a)

    response = login_by_code(client, staff.email)

    assert mail.outbox[-1].to == [staff.email]
    assert mail.outbox[-1].subject.startswith("[Ville A] ")
    assert "Ville A · BoursOloco" in mail.outbox[-1].body
    assert response.status_code == 302
    assert response["Location"] == "/gestion/"
    assert client.get("/gestion/").status_code == 200


def test_a_wrong_code_does_not_log_in(town_a):
    staff = MembershipFactory(territory=town_a).user
    client = client_for(town_a)
    client.post("/compte/login/code/", {"email": staff.email})
    response = client.post("/compte/login/code/confirm/", {"code": "AAAAAA"})
    assert response.status_code == 200
    assert client.get("/gestion/").status_code == 302


def test_read_only_staff_can_read_the_back_office(town_a):
    staff = MembershipFactory(territory=town_a, role="read_only").user
    client = client_for(town_a)
    client.post("/compte/login/", {"login": staff.email, "password": PASSWORD})
    assert client.get("/gestion/").status_code == 200


def test_an_inactive_membership_gives_no_access(town_a):
    staff = MembershipFactory(territory=town_a, is_active=False).user
    client = client_for(town_a)
    client.post("/compte/login/", {"login": staff.email, "password": PASSWORD})
    assert client.get("/gestion/").status_code == 403


@pytest.fixture
def anct_with_totp():
    user = UserFactory(anct=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, pyotp.TOTP(secret)


def test_anct_staff_need_their_totp_code_to_reach_the_console(client, anct_with_totp):
    user, totp = anct_with_totp

    response = client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/compte/2fa/authenticate/"
    assert client.get("/console/").status_code == 302  # not logged in yet

    response = client.post("/compte/2fa/authenticate/", {"code": totp.now()})
    assert response.status_code == 302
    assert response["Location"] == "/console/"
    console = client.get("/console/")
    assert console.status_code == 200
    assert "Console ANCT" in console.text


def test_a_wrong_totp_code_keeps_anct_staff_out(client, anct_with_totp):
    user, totp = anct_with_totp
    client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    response = client.post("/compte/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert client.get("/console/").status_code == 302


def test_the_emailed_code_does_not_replace_the_second_factor(client, anct_with_totp):
    user, totp = anct_with_totp
    response = login_by_code(client, user.email)
    assert response["Location"] == "/compte/2fa/authenticate/"
    assert client.get("/console/").status_code == 302
    client.post("/compte/2fa/authenticate/", {"code": totp.now()})
    assert client.get("/console/").status_code == 200


def test_a_new_anct_agent_types_the_password_once_then_sets_up_the_second_factor(client):
    user = UserFactory(anct=True)  # no TOTP yet, as the demo's ANCT account

    response = client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/console/"
    assert client.get("/console/")["Location"] == "/compte/2fa/totp/activate/"
    page = client.get("/compte/2fa/totp/activate/")  # no second password prompt
    assert page.status_code == 200
    secret = re.search(r'value="([A-Z2-7]{32})"', page.text).group(1)
    response = client.post("/compte/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302

    # The code just typed was the second factor: no new login, straight to the console.
    console = client.get("/console/")
    assert console.status_code == 200
    assert "Console ANCT" in console.text


def test_a_password_typed_more_than_five_minutes_ago_is_asked_again_to_change_the_factors(
    client, anct_with_totp
):
    user, totp = anct_with_totp
    client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    client.post("/compte/2fa/authenticate/", {"code": totp.now()})
    assert client.get("/compte/2fa/recovery-codes/generate/").status_code == 200

    session = client.session
    for record in session[AUTHENTICATION_METHODS_SESSION_KEY]:
        record["at"] -= 6 * 60
    session.save()
    response = client.get("/compte/2fa/recovery-codes/generate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/reauthenticate/")


class CountingHasher(MD5PasswordHasher):
    """The tests' hasher, counting how many times a password is hashed."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.mark.parametrize(
    ("login", "password", "lands_on"),
    [
        ("agent@example.fr", PASSWORD, "/gestion/"),
        ("Agent@Example.fr", PASSWORD, "/gestion/"),
        ("agent@example.fr", "pas-le-bon", None),
        ("personne@example.fr", PASSWORD, None),
    ],
    ids=["right", "capitals", "wrong-password", "unknown-address"],
)
def test_a_login_hashes_the_password_once(town_a, settings, login, password, lands_on):
    """A hash is what a login costs (Django's PBKDF2: about 0.25 s here): once, whatever
    the outcome, and the same time for an unknown address."""
    MembershipFactory(territory=town_a, user__email="agent@example.fr")
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0

    response = client_for(town_a).post("/compte/login/", {"login": login, "password": password})

    assert response.get("Location") == lands_on
    assert CountingHasher.calls == 1


def test_anct_staff_without_totp_are_sent_to_set_it_up(client):
    user = UserFactory(anct=True)
    client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    response = client.get("/console/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/2fa/totp/activate/"


def test_a_session_without_second_factor_is_closed_at_the_console(client):
    user = UserFactory(anct=True)
    client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    TOTP.activate(user, generate_totp_secret())  # set up after this session began

    response = client.get("/console/")

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")
    assert client.get("/compte/2fa/").status_code == 302  # logged out


def test_other_users_are_refused_the_console(client, town_a):
    staff = MembershipFactory(territory=town_a, role="admin").user
    client.post("/compte/login/", {"login": staff.email, "password": PASSWORD})
    response = client.get("/console/")
    assert response.status_code == 403


def test_the_console_is_not_served_on_towns(town_a, anct_with_totp):
    assert client_for(town_a).get("/console/").status_code == 404


def test_failed_logins_count_across_towns(town_a, town_b, settings):
    staff = MembershipFactory(territory=town_a).user
    for _ in range(6):
        client_for(town_a).post("/compte/login/", {"login": staff.email, "password": "non"})
    # The attempts made on town A also count on town B: no budget per town.
    response = client_for(town_b).post(
        "/compte/login/", {"login": staff.email, "password": PASSWORD}
    )
    assert response.status_code in (200, 429)
    assert client_for(town_b).get("/gestion/").status_code != 200
