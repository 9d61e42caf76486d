"""The outbox: emails written with what caused them, delivered once, never lost."""

import contextlib
import socket
from datetime import timedelta

import django_rq
import pytest
from django.core import mail
from django.utils import timezone
from rq import SimpleWorker

from tenant_apps.demands.models import Applicant, Demand, DemandEvent
from tenant_apps.demands.services import (
    announce_pending,
    announce_submission,
    send_new_links,
)
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.mailing.services import deliver, deliver_batch, deliver_pending
from tests.conftest import client_for
from tests.factories import DemandFactory, MembershipFactory
from tests.jobs import committing
from tests.tenant_apps.demands.helpers import CONTACT, submit_demand

pytestmark = pytest.mark.django_db


def work(queue_name="emails"):
    queue = django_rq.get_queue(queue_name)
    with committing():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_the_request_saves_the_demand_and_its_announcement_sends_each_email_once(town_a, in_town):
    MembershipFactory(territory=town_a, role="agent", user__email="agent@ville-a.example.fr")
    submit_demand(client_for(town_a))
    with in_town(town_a):
        assert not OutboundEmail.objects.exists()  # the porteur did not wait for them
        event = DemandEvent.objects.get()
        assert Demand.objects.get().priority == 0
        assert announce_submission(event.pk) is True
        assert announce_submission(event.pk) is False  # a retried job, the catch-up
        assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == [
            "agent@ville-a.example.fr",
            CONTACT["email"],
        ]
        assert not OutboundEmail.objects.pending().exists()
        assert Demand.objects.get().priority == 45  # creating 20, waiting 5, seen 20
    assert sorted(message.to[0] for message in mail.outbox) == [
        "agent@ville-a.example.fr",
        CONTACT["email"],
    ]
    work()  # the job queued by the request finds everything done
    assert len(mail.outbox) == 2


def test_the_catch_up_leaves_histories_that_no_porteur_submitted_and_erased_demands(
    town_a, in_town
):
    for number in range(3):
        submit_demand(
            client_for(town_a), **{"/demande/contact/": {"email": f"p{number}@example.fr"}}
        )
    with in_town(town_a):
        first, second, third = Demand.objects.order_by("pk")
        # An imported (or demo) history: its submission was never the porteur's.
        first.events.update(actor="")
        second.erase()
        DemandEvent.objects.update(created_at=timezone.now() - timedelta(minutes=5))
        assert announce_pending() == 1
        assert OutboundEmail.objects.get().to == "p2@example.fr"
    assert [message.to for message in mail.outbox] == [["p2@example.fr"]]


def new_link_email(town, in_town):
    """An email queued with its own delivery job (a porteur asking for a new link)."""
    demand = DemandFactory()
    with committing():
        send_new_links(town, demand.applicant.email)
    return OutboundEmail.objects.get(to=demand.applicant.email), demand.applicant.email


def test_a_delivery_job_run_twice_sends_once(town_a, in_town):
    with in_town(town_a):
        email, address = new_link_email(town_a, in_town)
        assert deliver(email.pk) is True
        assert deliver(email.pk) is False
    work()  # the job enqueued at commit finds it already sent
    assert [m.to for m in mail.outbox] == [[address]]


def test_a_relay_down_during_the_announcement_leaves_the_emails_to_the_catch_up(
    town_a, in_town, settings
):
    submit_demand(client_for(town_a))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    work()  # the announcement: its emails written, the relay refuses them
    with in_town(town_a):
        email = OutboundEmail.objects.get()
        assert email.sent_at is None and email.attempts == 1
        assert "Connection" in email.last_error or "refused" in email.last_error
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=5))
        assert deliver_pending() == 1
        assert deliver_pending() == 0
    assert [m.to for m in mail.outbox] == [[CONTACT["email"]]]


def test_a_submission_made_while_redis_is_down_is_announced_by_the_catch_up(
    town_a, in_town, settings
):
    settings.RQ_QUEUES = {
        name: {**conf, "URL": "redis://127.0.0.1:1/0"} for name, conf in settings.RQ_QUEUES.items()
    }
    response = submit_demand(client_for(town_a))
    assert response["Location"] == "/demande/envoyee/"  # the porteur saw no error
    with in_town(town_a):
        assert Demand.objects.count() == 1
        assert not OutboundEmail.objects.exists()  # its announcement job was lost
        assert announce_pending() == 0  # a job may still be on its way: not yet
        DemandEvent.objects.update(created_at=timezone.now() - timedelta(minutes=5))
        assert announce_pending() == 1  # written and sent
        assert announce_pending() == 0  # announced once
        assert not OutboundEmail.objects.pending().exists()
    assert [message.to for message in mail.outbox] == [[CONTACT["email"]]]


def test_a_relay_that_never_answers_is_waited_for_once_per_batch(town_a, in_town, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with socket.socket() as silent:  # accepts connections, never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent.getsockname()[1]
        settings.EMAIL_TIMEOUT = 0.5
        with in_town(town_a):
            ids = [new_link_email(town_a, in_town)[0].pk for _ in range(3)]
            assert deliver_batch(ids) == 0
            emails = OutboundEmail.objects.filter(pk__in=ids)
            assert {(email.attempts, email.sent_at) for email in emails} == {(1, None)}
            assert all("timed out" in email.last_error for email in emails)
        silent.setblocking(False)
        connections = 0
        with contextlib.suppress(BlockingIOError):
            while True:
                silent.accept()[0].close()
                connections += 1
    assert connections == 1  # not one wait per email


def test_a_refusing_relay_is_recorded_and_retried(town_a, in_town, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    with in_town(town_a):
        email, _ = new_link_email(town_a, in_town)
        assert deliver(email.pk) is False
        email.refresh_from_db()
        assert email.sent_at is None and email.attempts == 1
        assert "Connection" in email.last_error or "refused" in email.last_error
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=5))
        assert deliver_pending() == 1
    assert len(mail.outbox) == 1


def test_a_failure_in_the_middle_of_a_submission_leaves_nothing(town_a, in_town, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("panne au milieu de l’enregistrement")

    monkeypatch.setattr("tenant_apps.demands.models.ReferenceCounter.number", broken)
    client = client_for(town_a)
    client.raise_request_exception = False

    response = submit_demand(client)

    assert response.status_code == 500
    assert "Erreur inattendue" in response.text
    with in_town(town_a):
        assert not Applicant.objects.exists()
        assert not Demand.objects.exists()
        assert not OutboundEmail.objects.exists()
    assert django_rq.get_queue("default").count == django_rq.get_queue("emails").count == 0
