"""The decision: editors (not read-only staff, not outside jurors) record for each
application selected / waiting list / declined with a reason, after a confirmation; who
and when are stored; each applicant is emailed once per decision; the call becomes
decided when every application is, and the signals go out after the commit."""

import re

import pytest
from django.core import mail

from shared_apps.accounts.enums import Role
from tenant_apps.calls.enums import CallStatus, Decision
from tenant_apps.calls.models import Application, Call
from tenant_apps.calls.signals import application_decided, call_decided
from tenant_apps.mailing.models import OutboundEmail
from tests.conftest import logged_in_client
from tests.factories import MembershipFactory
from tests.jobs import run_jobs
from tests.tenant_apps.calls.factories import ApplicationFactory, CallFactory
from tests.tenant_apps.jury.factories import JurorFactory, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(town_a, in_town):
    with in_town(town_a):
        call = CallFactory(status=CallStatus.CLOSED, title="Boutique à l’essai du Marché")
        ines = ApplicationFactory(call=call, name="Inès Martin", email="ines@example.fr")
        paul = ApplicationFactory(call=call, name="Paul Girard", email="paul@example.fr")
        lea = ApplicationFactory(call=call, name="Léa Roux", email="lea@example.fr")
        seat = JurorFactory(call=call)
        review(seat, ines, [9, 9])
        review(seat, paul, [7, 7])
        review(seat, lea, [3, 3])
    call.people = {"ines": ines, "paul": paul, "lea": lea, "seat": seat}
    return call


@pytest.fixture
def agent(town_a):
    return MembershipFactory(territory=town_a, role=Role.AGENT).user


def posted(call, **decisions):
    data = {}
    for name, application in call.people.items():
        if name == "seat":
            continue
        decision, reason = decisions.get(name, ("pending", ""))
        data[f"candidature-{application.pk}-decision"] = decision
        data[f"candidature-{application.pk}-reason"] = reason
    return data


@pytest.fixture
def signals():
    received = []

    def on_application(sender, application, **kwargs):
        received.append(("application", application.name, application.decision))

    def on_call(sender, call, **kwargs):
        received.append(("call", call.pk, call.status))

    application_decided.connect(on_application)
    call_decided.connect(on_call)
    yield received
    application_decided.disconnect(on_application)
    call_decided.disconnect(on_call)


def test_a_decision_is_confirmed_recorded_emailed_once_and_signalled(
    town_a, in_town, call, agent, signals
):
    client = logged_in_client(town_a, agent)
    url = f"/gestion/appels/{call.pk}/decision/"
    page = client.get(url).content.decode()
    assert page.index("Inès Martin") < page.index("Paul Girard") < page.index("Léa Roux")
    data = posted(
        call,
        ines=("selected", ""),
        paul=("waiting", ""),
        lea=("declined", "Le plan de financement ne tient pas la première année."),
    )
    confirm = client.post(url, data).content.decode()
    assert "Oui, enregistrer et informer les candidats" in confirm and "lea@example.fr" in confirm
    with in_town(town_a):
        assert not Application.objects.exclude(decision=Decision.PENDING).exists()
    assert signals == []
    response = client.post(url, data | {"confirmation": "oui"})
    assert response.status_code == 302
    with in_town(town_a):
        decided = {a.name: a for a in Application.objects.all()}
        assert Call.objects.get(pk=call.pk).status == CallStatus.DECIDED
    assert decided["Inès Martin"].decision == Decision.SELECTED
    assert decided["Léa Roux"].decision_reason.startswith("Le plan de financement")
    assert all(a.decided_by == agent and a.decided_at for a in decided.values())
    assert sorted(signals) == [
        ("application", "Inès Martin", "selected"),
        ("application", "Léa Roux", "declined"),
        ("application", "Paul Girard", "waiting"),
        ("call", call.pk, "decided"),
    ]
    # Posting the same again (a double click, a replay) sends nothing more.
    client.post(url, data | {"confirmation": "oui"})
    run_jobs()
    run_jobs()
    assert len(signals) == 4
    assert sorted(email.to[0] for email in mail.outbox) == [
        "ines@example.fr",
        "lea@example.fr",
        "paul@example.fr",
    ]
    by_address = {email.to[0]: email for email in mail.outbox}
    assert "est retenue" in by_address["ines@example.fr"].subject
    assert "liste d’attente" in by_address["paul@example.fr"].subject
    assert "Le plan de financement ne tient pas" in by_address["lea@example.fr"].body
    with in_town(town_a):
        assert OutboundEmail.objects.count() == 3


def test_a_changed_decision_emails_that_applicant_once_more_and_not_the_call_again(
    town_a, in_town, call, agent, signals
):
    client = logged_in_client(town_a, agent)
    url = f"/gestion/appels/{call.pk}/decision/"
    first = posted(call, ines=("selected", ""), paul=("waiting", ""), lea=("declined", "Non."))
    client.post(url, first | {"confirmation": "oui"})
    signals.clear()
    second = posted(
        call, ines=("declined", "A renoncé."), paul=("selected", ""), lea=("declined", "Non.")
    )
    client.post(url, second | {"confirmation": "oui"})
    assert sorted(signals) == [
        ("application", "Inès Martin", "declined"),
        ("application", "Paul Girard", "selected"),
    ]
    with in_town(town_a):
        assert OutboundEmail.objects.count() == 5


def test_a_declined_application_needs_a_reason_and_what_was_chosen_stays(
    town_a, in_town, call, agent
):
    client = logged_in_client(town_a, agent)
    data = posted(call, ines=("selected", ""), lea=("declined", "  "))
    response = client.post(f"/gestion/appels/{call.pk}/decision/", data | {"confirmation": "oui"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Indiquez le motif : il est communiqué au candidat non retenu." in page
    ines = call.people["ines"].pk
    assert re.search(rf'name="candidature-{ines}-decision" value="selected"[^>]*checked', page)
    with in_town(town_a):
        assert not Application.objects.exclude(decision=Decision.PENDING).exists()
        assert not OutboundEmail.objects.exists()


def test_a_partial_decision_leaves_the_call_closed(town_a, in_town, call, agent, signals):
    client = logged_in_client(town_a, agent)
    data = posted(call, ines=("selected", ""))
    client.post(f"/gestion/appels/{call.pk}/decision/", data | {"confirmation": "oui"})
    with in_town(town_a):
        assert Call.objects.get(pk=call.pk).status == CallStatus.CLOSED
    assert signals == [("application", "Inès Martin", "selected")]


def test_read_only_staff_and_outside_jurors_cannot_decide(town_a, in_town, call):
    reader = MembershipFactory(territory=town_a, role=Role.READ_ONLY).user
    data = posted(call, ines=("selected", "")) | {"confirmation": "oui"}
    for user in (reader, call.people["seat"].user):
        client = logged_in_client(town_a, user)
        url = f"/gestion/appels/{call.pk}/decision/"
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    with in_town(town_a):
        assert not Application.objects.exclude(decision=Decision.PENDING).exists()


def test_an_open_call_cannot_be_decided(town_a, in_town, agent):
    with in_town(town_a):
        call = CallFactory()
        application = ApplicationFactory(call=call)
    client = logged_in_client(town_a, agent)
    data = {
        f"candidature-{application.pk}-decision": "selected",
        f"candidature-{application.pk}-reason": "",
        "confirmation": "oui",
    }
    response = client.post(f"/gestion/appels/{call.pk}/decision/", data)
    assert response.status_code == 302
    with in_town(town_a):
        application.refresh_from_db()
        assert application.decision == Decision.PENDING


def test_the_decision_of_town_a_is_not_reachable_from_town_b(town_a, town_b, call):
    outsider = MembershipFactory(territory=town_b, role=Role.ADMIN).user
    data = posted(call, ines=("selected", "")) | {"confirmation": "oui"}
    response = logged_in_client(town_b, outsider).post(f"/gestion/appels/{call.pk}/decision/", data)
    assert response.status_code == 404
