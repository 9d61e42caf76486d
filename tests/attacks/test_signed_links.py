"""Signed links used without logging in, tampered with, expired, replayed or carried to
another town: refused, and nothing happens. (Follow-up links: tampering, forging, other
town, expiry and revocation are in tests/tenant_apps/demands/test_followup.py; welcome
links' replay and other town in tests/shared_apps/onboarding/test_onboarding.py; a link
dead after erasure in test_followup.py too.)"""

import time
from datetime import timedelta
from unittest import mock

import pytest

from shared_apps.accounts.one_time import ONE_TIME_SECONDS, one_time_token
from shared_apps.national.views import VIEW_AS_SALT
from shared_apps.onboarding.services import WELCOME_SALT
from tenant_apps.demands.models import Demand
from tenant_apps.network.models import Alert
from tests.conftest import client_for
from tests.factories import (
    DemandFactory,
    MembershipFactory,
    NetworkMemberFactory,
    PartnerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def tampered(token):
    """The same token with one character of its signature changed."""
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def later(seconds):
    """Every signature checked as if `seconds` had passed."""
    return mock.patch("django.core.signing.time.time", return_value=time.time() + seconds)


def assert_not_logged_in(client):
    response = client.get("/gestion/")
    assert response.status_code == 302 and response["Location"].startswith("/compte/login/")


# Welcome (new admin) and consultation (ANCT) links: one use, five minutes, one town ----


@pytest.fixture
def admin(town_a):
    return MembershipFactory(territory=town_a, role="admin").user


@pytest.fixture
def anct():
    return UserFactory(anct=True)


@pytest.mark.parametrize(
    ("kind", "path", "salt_kwargs"),
    [
        ("welcome", "/compte/bienvenue/{}/", {"salt": WELCOME_SALT}),
        ("consultation", "/compte/consultation/{}/", {"salt": VIEW_AS_SALT}),
    ],
)
def test_a_tampered_one_time_link_logs_nobody_in(town_a, admin, anct, kind, path, salt_kwargs):
    user = admin if kind == "welcome" else anct
    token = one_time_token(town_a, user, **salt_kwargs)
    client = client_for(town_a)

    response = client.get(path.format(tampered(token)))

    assert response.status_code == 400
    assert "Lien expiré" in response.text
    assert_not_logged_in(client)
    # The genuine link still works: the refusal came from the signature.
    assert client.get(path.format(token)).status_code == 302


@pytest.mark.parametrize(
    ("kind", "path", "salt_kwargs"),
    [
        ("welcome", "/compte/bienvenue/{}/", {"salt": WELCOME_SALT}),
        ("consultation", "/compte/consultation/{}/", {"salt": VIEW_AS_SALT}),
    ],
)
def test_an_expired_one_time_link_logs_nobody_in(town_a, admin, anct, kind, path, salt_kwargs):
    user = admin if kind == "welcome" else anct
    token = one_time_token(town_a, user, **salt_kwargs)
    client = client_for(town_a)

    with later(ONE_TIME_SECONDS + 1):
        response = client.get(path.format(token))

    assert response.status_code == 400
    assert_not_logged_in(client)


def test_a_consultation_link_works_once(town_a, anct):
    token = one_time_token(town_a, anct, salt=VIEW_AS_SALT)
    assert client_for(town_a).get(f"/compte/consultation/{token}/").status_code == 302

    replay = client_for(town_a)
    assert replay.get(f"/compte/consultation/{token}/").status_code == 400
    assert_not_logged_in(replay)


def test_a_welcome_link_is_not_a_consultation_link(town_a, anct):
    """Same payload, other purpose: the salts keep them apart."""
    token = one_time_token(town_a, anct, salt=WELCOME_SALT)
    client = client_for(town_a)
    assert client.get(f"/compte/consultation/{token}/").status_code == 400
    assert_not_logged_in(client)


# Follow-up links on the pages that change the demand ----------------------------------


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/suivi/{}/action/", {"action": "installed"}),
        ("/suivi/{}/toujours/", {}),
        ("/suivi/{}/effacer/", {}),
        ("/suivi/{}/modifier/", {"surface_min": "10", "surface_max": "20"}),
    ],
)
def test_a_tampered_follow_up_link_changes_nothing(town_a, in_town, path, data):
    with in_town(town_a):
        demand = DemandFactory()
        token = demand.followup_token()
        before = Demand.objects.values().get(pk=demand.pk)

    response = client_for(town_a).post(path.format(tampered(token)), data)

    assert response.status_code in (400, 404)
    with in_town(town_a):
        assert Demand.objects.values().get(pk=demand.pk) == before


# A partner's one-click answer and unsubscribe links ------------------------------------


@pytest.fixture
def alert(town_a, in_town):
    with in_town(town_a):
        partner = PartnerFactory()
        member = NetworkMemberFactory(partner=partner)
        alert = Alert.objects.create(partner=partner, demand=DemandFactory(), frequency="daily")
        links = {
            "answer": f"/partenaires/reponse/{alert.answer_token('maybe')}/",
            "unsubscribe": f"/partenaires/desabonnement/{member.unsubscribe_token('all')}/",
        }
    return alert, member, links


def partner_state(town, in_town, alert, member):
    with in_town(town):
        alert.refresh_from_db()
        member.refresh_from_db()
        return alert.answer, member.alerts_enabled


@pytest.mark.parametrize("link", ["answer", "unsubscribe"])
def test_a_tampered_partner_link_is_refused(town_a, in_town, alert, link):
    alert, member, links = alert
    before = partner_state(town_a, in_town, alert, member)
    path = links[link].rstrip("/")
    response = client_for(town_a).post(tampered(path) + "/")
    assert response.status_code == 400
    assert "pas valide" in response.text
    assert partner_state(town_a, in_town, alert, member) == before


def test_an_expired_answer_link_is_refused(town_a, in_town, alert, settings):
    alert, member, links = alert
    before = partner_state(town_a, in_town, alert, member)
    with later(timedelta(days=settings.ALERT_LINK_DAYS, seconds=1).total_seconds()):
        response = client_for(town_a).post(links["answer"])
    assert response.status_code == 400
    assert "expiré" in response.text
    assert partner_state(town_a, in_town, alert, member) == before


def test_an_old_unsubscribe_link_still_works(town_a, in_town, alert, settings):
    alert, member, links = alert
    with later(timedelta(days=settings.ALERT_LINK_DAYS * 5).total_seconds()):
        response = client_for(town_a).post(links["unsubscribe"])
    assert response.status_code == 200
    assert partner_state(town_a, in_town, alert, member) == ("", False)


@pytest.mark.parametrize("link", ["answer", "unsubscribe"])
def test_a_partner_link_of_one_town_means_nothing_on_another(town_a, town_b, in_town, alert, link):
    alert, member, links = alert
    before = partner_state(town_a, in_town, alert, member)
    response = client_for(town_b).post(links[link])
    assert response.status_code == 400
    assert partner_state(town_a, in_town, alert, member) == before
