"""The team invites jurors to one call — a colleague or an outsider who gets an account
and no membership — by one email each, and revokes them after a confirmation; a juror's
seat opens the jury pages of that call and nothing else of the town."""

import re

import pytest
from django.core import mail

from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import Membership, User
from tenant_apps.jury.models import Juror
from tenant_apps.mailing.models import OutboundEmail
from tests.conftest import client_for, logged_in_client
from tests.factories import MembershipFactory
from tests.jobs import run_jobs
from tests.tenant_apps.calls.factories import ApplicationFactory, CallFactory
from tests.tenant_apps.jury.factories import JurorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(town_a):
    return MembershipFactory(territory=town_a, role=Role.AGENT).user


@pytest.fixture
def call(town_a, in_town):
    with in_town(town_a):
        return CallFactory(title="Boutique à l’essai du Marché")


def invite(client, call, **changes):
    data = {
        "email": "Claire.Vidal@Banque.example.fr",
        "first_name": "Claire",
        "last_name": "Vidal",
        "organisation": "Banque du Var",
        **changes,
    }
    return client.post(f"/gestion/appels/{call.pk}/jury/", data)


def test_an_outsider_is_invited_by_one_email_and_gets_an_account_without_membership(
    town_a, in_town, agent, call
):
    client = logged_in_client(town_a, agent)
    response = invite(client, call)
    assert response.status_code == 302
    user = User.objects.get(email="claire.vidal@banque.example.fr")
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    with in_town(town_a):
        seat = Juror.objects.get()
        assert (seat.call, seat.user, seat.invited_by) == (call, user, agent)
        assert OutboundEmail.objects.count() == 1
    run_jobs()
    run_jobs()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["claire.vidal@banque.example.fr"]
    assert "Boutique à l’essai du Marché" in email.subject
    assert f"/compte/login/code/?next=/gestion/jury/{call.pk}/" in email.body
    page = client.get(f"/gestion/appels/{call.pk}/jury/").content.decode()
    assert "Claire Vidal" in page and "Banque du Var" in page and "0 sur 0" in page


def test_inviting_the_same_person_twice_is_refused_in_french_and_sends_nothing_more(
    town_a, in_town, agent, call
):
    client = logged_in_client(town_a, agent)
    invite(client, call)
    response = invite(client, call, email="claire.vidal@banque.example.fr", organisation="")
    assert response.status_code == 400
    page = response.content.decode()
    assert "fait déjà partie du jury de cet appel" in page
    assert 'value="Claire"' in page  # nothing typed is lost
    with in_town(town_a):
        assert Juror.objects.count() == 1
        assert OutboundEmail.objects.count() == 1


def test_a_bad_address_gets_a_french_message(town_a, agent, call):
    response = invite(logged_in_client(town_a, agent), call, email="claire@")
    assert response.status_code == 400
    assert "Saisissez une adresse électronique valide" in response.content.decode()
    assert 'aria-describedby="id_email-erreur"' in response.content.decode()


def test_read_only_staff_see_the_jury_but_cannot_invite(town_a, in_town, call):
    reader = MembershipFactory(territory=town_a, role=Role.READ_ONLY).user
    client = logged_in_client(town_a, reader)
    page = client.get(f"/gestion/appels/{call.pk}/jury/")
    assert page.status_code == 200 and "Inviter un juré" not in page.content.decode()
    assert invite(client, call).status_code == 403
    with in_town(town_a):
        assert not Juror.objects.exists()


def test_the_invited_outsider_signs_in_by_code_and_reaches_only_their_call(
    town_a, in_town, agent, call
):
    with in_town(town_a):
        other_call = CallFactory()
        application = ApplicationFactory(call=call, name="Inès Martin")
    invite(logged_in_client(town_a, agent), call)
    client = client_for(town_a)
    client.post("/compte/login/code/", {"email": "claire.vidal@banque.example.fr"})
    code = re.search(r"^(\d{6})$", mail.outbox[-1].body, re.M).group(1)
    response = client.post("/compte/login/code/confirm/", {"code": code})
    assert response["Location"] == "/gestion/jury/"
    assert client.get("/gestion/jury/")["Location"] == f"/gestion/jury/{call.pk}/"
    assert "Inès Martin" in client.get(f"/gestion/jury/{call.pk}/").content.decode()
    assert client.get(f"/gestion/jury/{call.pk}/candidatures/{application.pk}/").status_code == 200
    assert client.get(f"/gestion/jury/{other_call.pk}/").status_code == 404
    for page in (
        "/gestion/",
        f"/gestion/appels/{call.pk}/",
        f"/gestion/appels/{call.pk}/classement/",
    ):
        assert client.get(page).status_code == 403, page


def test_a_revoked_juror_loses_access_after_a_confirmation(town_a, in_town, agent, call):
    with in_town(town_a):
        seat = JurorFactory(call=call)
    juror = logged_in_client(town_a, seat.user)
    assert juror.get(f"/gestion/jury/{call.pk}/").status_code == 200
    client = logged_in_client(town_a, agent)
    url = f"/gestion/appels/{call.pk}/jury/{seat.pk}/retirer/"
    page = client.post(url)
    assert page.status_code == 200 and "Oui, retirer du jury" in page.content.decode()
    with in_town(town_a):
        seat.refresh_from_db()
        assert seat.is_active
    assert client.post(url, {"confirmation": "oui"}).status_code == 302
    with in_town(town_a):
        seat.refresh_from_db()
        assert not seat.is_active
    assert juror.get(f"/gestion/jury/{call.pk}/").status_code == 404
    assert juror.get("/gestion/jury/").status_code == 403


def test_a_revoked_juror_invited_again_gets_a_new_email(town_a, in_town, agent, call):
    client = logged_in_client(town_a, agent)
    invite(client, call)
    with in_town(town_a):
        seat = Juror.objects.get()
    client.post(f"/gestion/appels/{call.pk}/jury/{seat.pk}/retirer/", {"confirmation": "oui"})
    invite(client, call)
    with in_town(town_a):
        assert Juror.objects.get().is_active
        assert OutboundEmail.objects.count() == 2


def test_a_juror_of_town_a_is_nobody_on_town_b(town_a, town_b, in_town, call):
    with in_town(town_a):
        seat = JurorFactory(call=call)
    with in_town(town_b):
        call_b = CallFactory(pk=call.pk)  # the same id, in the other town
        application_b = ApplicationFactory(call=call_b)
    client = logged_in_client(town_b, seat.user)
    assert client.get("/gestion/jury/").status_code == 403
    assert client.get(f"/gestion/jury/{call.pk}/").status_code == 404
    page = f"/gestion/jury/{call.pk}/candidatures/{application_b.pk}/"
    assert client.get(page).status_code == 404
    assert client.get("/gestion/").status_code == 403
    # And town A's session replayed on town B's host is worth nothing.
    on_a = logged_in_client(town_a, seat.user)
    thief = client_for(town_b)
    thief.cookies = on_a.cookies
    assert thief.get(f"/gestion/jury/{call.pk}/").status_code == 302
