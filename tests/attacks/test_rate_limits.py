"""Guessing is slowed down where a secret is typed. (Passwords across towns, the porteur's
form, new follow-up links and the onboarding's code are in the tests of those apps.)"""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def wrong(code):
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def test_the_second_factor_cannot_be_brute_forced(client):
    """With the password stolen, guessing the six digits: a few wrong codes, and even the
    right one is refused for a while."""
    anct = UserFactory(anct=True)
    secret = generate_totp_secret()
    TOTP.activate(anct, secret)
    totp = pyotp.TOTP(secret)
    client.post("/compte/login/", {"login": anct.email, "password": PASSWORD})

    statuses = [
        client.post("/compte/2fa/authenticate/", {"code": wrong(totp.now())}).status_code
        for _ in range(6)
    ]
    response = client.post("/compte/2fa/authenticate/", {"code": totp.now()})

    assert set(statuses) <= {200, 429}
    assert response.status_code in (200, 429)
    assert "Trop" in response.text or response.status_code == 429
    assert client.get("/console/").status_code == 302
