"""Deliveries to a real HTTP receiver on localhost: signed, retried, logged, exactly once,
switched off after a day of failures, and never to a private address."""

import json
from datetime import timedelta

import django_rq
import pytest
from django.core import mail
from django.utils import timezone
from standardwebhooks import Webhook as Verifier

from shared_apps.accounts.enums import Role
from tenant_apps.demands.enums import EventKind
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.webhooks.enums import RETRY_DELAYS, DeliveryStatus, EventType
from tenant_apps.webhooks.models import Attempt, Delivery
from tenant_apps.webhooks.services import claim, deliver_due, wake, wake_if_due
from tests.conftest import client_for
from tests.factories import DemandFactory, MembershipFactory
from tests.jobs import committing, run_jobs
from tests.tenant_apps.demands.helpers import submit_demand
from tests.tenant_apps.webhooks.conftest import make_webhook, run_webhook_jobs, scheduled_retries
from tests.tenant_apps.webhooks.receiver import Receiver, closed_port_url

pytestmark = pytest.mark.django_db


def change_status(town, in_town, status="qualified"):
    """A demand of `town` moves on (one demand.status_changed event); returns it."""
    with in_town(town), committing():
        demand = DemandFactory()
        demand.transition_to(status, actor="test")
    return demand


def test_a_new_demand_reaches_the_endpoint_signed(town_a, in_town, receiver):
    webhook = make_webhook(town_a, receiver.url, [EventType.DEMAND_CREATED])

    submit_demand(client_for(town_a))
    run_webhook_jobs()

    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    payload = Verifier(webhook.secret).verify(body, headers)  # raises if the signature is wrong
    assert headers["webhook-id"].startswith("msg_")
    assert headers["webhook-signature"].startswith("v1,")
    assert payload["type"] == "demand.created"
    assert payload["data"]["town"]["slug"] == town_a.slug
    with in_town(town_a):
        demand = webhook.deliveries.get()
        reference = json.loads(demand.payload)["data"]["demand"]["reference"]
        assert reference.startswith(town_a.reference_prefix)  # numbered, not a placeholder
        assert demand.status == DeliveryStatus.DELIVERED
        attempt = Attempt.objects.get()
    assert (attempt.status_code, attempt.response_excerpt) == (200, "reçu")
    assert attempt.duration_ms < 5000
    # No personal data: the porteur's name and address stay in the back-office.
    assert b"example" not in body and b"Moreau" not in body


def test_a_signature_made_with_another_secret_is_refused_by_the_receiver(town_a, receiver):
    make_webhook(town_a, receiver.url)
    other = make_webhook(town_a, closed_port_url())  # any other endpoint's secret

    submit_demand(client_for(town_a))
    run_webhook_jobs()

    headers, body = receiver.requests[0]
    with pytest.raises(Exception, match="No matching signature"):
        Verifier(other.secret).verify(body, headers)


def test_a_receiver_that_is_down_gets_a_retry_scheduled(town_a, in_town):
    webhook = make_webhook(town_a, closed_port_url())

    change_status(town_a, in_town)
    before = timezone.now()
    run_webhook_jobs()

    with in_town(town_a):
        delivery = Delivery.objects.get()
        attempt = delivery.attempts.get()
        webhook.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempt_count == 1
    assert attempt.status_code is None and attempt.error == "connexion refusée"
    assert before + RETRY_DELAYS[0] <= delivery.next_attempt_at <= timezone.now() + RETRY_DELAYS[0]
    assert [moment.replace(microsecond=0) for moment in scheduled_retries()] == [
        delivery.next_attempt_at.replace(microsecond=0)
    ]
    assert webhook.failing_since is not None and webhook.is_active


def test_a_slow_receiver_times_out_and_is_tried_again(town_a, in_town, settings):
    settings.WEBHOOK_TIMEOUT = 1
    with Receiver(delay=3) as slow:
        make_webhook(town_a, slow.url)
        change_status(town_a, in_town)
        run_webhook_jobs()
        assert len(slow.requests) == 1

    with in_town(town_a):
        delivery = Delivery.objects.get()
        attempt = delivery.attempts.get()
    assert attempt.error == "pas de réponse en 1 s"
    assert 1000 <= attempt.duration_ms < 3000
    assert delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at
    assert len(scheduled_retries()) == 1


def test_an_answer_500_is_logged_then_the_retry_delivers(town_a, in_town):
    with Receiver(status=500, answer="Erreur interne du CRM") as flaky:
        make_webhook(town_a, flaky.url)
        change_status(town_a, in_town)
        run_webhook_jobs()
        with in_town(town_a):
            delivery = Delivery.objects.get()
            first = delivery.attempts.get()
            assert (first.status_code, first.response_excerpt) == (500, "Erreur interne du CRM")
            assert delivery.status == DeliveryStatus.PENDING
            assert len(scheduled_retries()) == 1

            # The retry's time comes; the receiver was repaired meanwhile.
            flaky.status = 200
            Delivery.objects.update(next_attempt_at=timezone.now())
            with committing():
                deliver_due()
            delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.DELIVERED
        assert delivery.attempt_count == 2
        first_id, second_id = (headers["webhook-id"] for headers, _ in flaky.requests)
        assert first_id == second_id == delivery.message_id  # the idempotency id is kept


def test_a_delivery_answered_200_is_sent_and_recorded_exactly_once(town_a, in_town, receiver):
    make_webhook(town_a, receiver.url)
    change_status(town_a, in_town)
    # Two jobs for the same town (a catch-up racing the first one): the second finds the
    # delivery claimed, then delivered.
    with in_town(town_a):
        wake(town_a.schema_name)  # already queued by the event: not queued twice
        django_rq.get_connection("webhooks").delete(
            f"boursoloco:webhooks:wake:{town_a.schema_name}"
        )
        assert wake(town_a.schema_name)
    assert django_rq.get_queue("webhooks").count == 2

    run_webhook_jobs()
    with in_town(town_a), committing():
        deliver_due()  # and a third time, by hand

    assert len(receiver.requests) == 1
    with in_town(town_a):
        delivery = Delivery.objects.get()
        assert delivery.status == DeliveryStatus.DELIVERED
        assert delivery.attempts.count() == 1


def test_a_claimed_delivery_is_not_claimed_again(town_a, in_town, receiver):
    make_webhook(town_a, receiver.url)
    change_status(town_a, in_town)
    with in_town(town_a):
        assert len(claim()) == 1
        assert claim() == []  # another worker, meanwhile


def test_replaying_by_hand_sends_the_same_id_again(town_a, in_town, receiver):
    make_webhook(town_a, receiver.url)
    change_status(town_a, in_town)
    run_webhook_jobs()
    with in_town(town_a):
        delivery = Delivery.objects.get()
        delivery.replay()
        with committing():
            deliver_due()
        delivery.refresh_from_db()
    assert [headers["webhook-id"] for headers, _ in receiver.requests] == [delivery.message_id] * 2
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempt_count == 2


def test_a_delivery_is_given_up_after_its_last_retry(town_a, in_town):
    make_webhook(town_a, closed_port_url())
    change_status(town_a, in_town)
    with in_town(town_a):
        Delivery.objects.update(attempt_count=len(RETRY_DELAYS))
        with committing():
            deliver_due()
        delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None
    assert delivery.attempt_count == len(RETRY_DELAYS) + 1


def test_an_endpoint_failing_for_a_day_is_switched_off_and_the_admins_told(town_a, in_town):
    admin = MembershipFactory(territory=town_a, role=Role.ADMIN).user
    agent = MembershipFactory(territory=town_a, role=Role.AGENT).user
    webhook = make_webhook(
        town_a, closed_port_url(), failing_since=timezone.now() - timedelta(hours=23)
    )
    change_status(town_a, in_town)
    run_webhook_jobs()
    with in_town(town_a):
        webhook.refresh_from_db()
        assert webhook.is_active  # 23 hours: not yet

        webhook.failing_since = timezone.now() - timedelta(hours=25)
        webhook.save()
        Delivery.objects.update(next_attempt_at=timezone.now())
        with committing():
            deliver_due()
            deliver_due()  # a second failure does not email again
        webhook.refresh_from_db()
        assert not webhook.is_active and webhook.disabled_at
        assert OutboundEmail.objects.filter(key__startswith=f"webhook:{webhook.pk}:").count() == 1
        # Switched off: what waits is kept, not sent.
        assert Delivery.objects.get().status == DeliveryStatus.PENDING
        assert claim() == []
    run_jobs()
    assert [message.to for message in mail.outbox] == [[admin.email]]
    assert agent.email not in mail.outbox[0].to
    assert webhook.url in mail.outbox[0].body
    assert "désactivé" in mail.outbox[0].subject


def test_switching_an_endpoint_back_on_sends_what_waited(town_a, in_town, receiver):
    """What waited when it was switched off is sent; what happened meanwhile is not."""
    webhook = make_webhook(town_a, receiver.url)
    change_status(town_a, in_town)
    with in_town(town_a):
        webhook.disable("test")
    change_status(town_a, in_town)
    run_webhook_jobs()
    assert receiver.requests == []
    with in_town(town_a):
        assert Delivery.objects.count() == 1
    with in_town(town_a):
        webhook.enable()
        with committing():
            deliver_due()
    assert len(receiver.requests) == 1


def test_an_endpoint_that_fails_is_tried_once_per_job(town_a, in_town, receiver):
    """Its other deliveries wait for its retry; another endpoint's are sent."""
    down = make_webhook(town_a, closed_port_url())
    make_webhook(town_a, receiver.url)
    for _ in range(3):
        change_status(town_a, in_town)
    run_webhook_jobs()
    with in_town(town_a):
        assert Attempt.objects.filter(delivery__webhook=down).count() == 1
        waiting = Delivery.objects.filter(webhook=down, status=DeliveryStatus.PENDING)
        assert waiting.count() == 3
        assert len({d.next_attempt_at for d in waiting}) == 1
    assert len(receiver.requests) == 3


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/webhooks",
        "http://192.168.1.10/webhooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]:9/",
        "http://localhost:9/",
    ],
)
def test_a_private_address_is_never_reached(town_a, in_town, settings, url):
    settings.WEBHOOK_ALLOW_LOCALHOST = False
    make_webhook(town_a, url)  # saved around the form (the form refuses it too)
    change_status(town_a, in_town)
    run_webhook_jobs()
    with in_town(town_a):
        attempt = Attempt.objects.get()
    assert attempt.status_code is None
    assert "refusée" in attempt.error


def test_the_local_receiver_is_refused_when_localhost_is_not_allowed(
    town_a, in_town, settings, receiver
):
    settings.WEBHOOK_ALLOW_LOCALHOST = False
    make_webhook(town_a, receiver.url)
    change_status(town_a, in_town)
    run_webhook_jobs()
    assert receiver.requests == []
    with in_town(town_a):
        assert "adresse privée ou interne refusée (127.0.0.1)" in Attempt.objects.get().error


def test_an_endpoint_of_town_a_never_receives_town_b_events(town_a, town_b, in_town):
    with Receiver() as receiver_a, Receiver() as receiver_b:
        make_webhook(town_a, receiver_a.url)
        make_webhook(town_b, receiver_b.url)
        demand_b = change_status(town_b, in_town)
        run_webhook_jobs()
        assert receiver_a.requests == []
        (payload,) = receiver_b.payloads()
        assert payload["data"]["town"]["slug"] == town_b.slug
        assert payload["data"]["demand"]["reference"] == demand_b.reference
        with in_town(town_a):
            assert not Delivery.objects.exists()

        change_status(town_a, in_town)
        run_webhook_jobs()
        assert len(receiver_a.requests) == 1 and len(receiver_b.requests) == 1
        assert receiver_a.payloads()[0]["data"]["town"]["slug"] == town_a.slug


def test_an_event_nobody_listens_to_creates_nothing(town_a, in_town, receiver):
    make_webhook(town_a, receiver.url, [EventType.PREMISES_PUBLISHED])
    change_status(town_a, in_town)
    with in_town(town_a):
        assert not Delivery.objects.exists()
        DemandFactory().record(EventKind.NOTE, "une note")
        assert not Delivery.objects.exists()


def test_the_catch_up_wakes_a_town_whose_job_was_lost(town_a, in_town, receiver):
    make_webhook(town_a, receiver.url)
    change_status(town_a, in_town)
    django_rq.get_connection("webhooks").flushdb()  # Redis lost the job (and its key)
    with in_town(town_a):
        assert wake_if_due() is True
    run_webhook_jobs()
    assert len(receiver.requests) == 1
    with in_town(town_a):
        assert wake_if_due() is False  # nothing due any more


def test_a_delivery_claimed_by_a_worker_that_died_goes_again_with_its_id(town_a, in_town, receiver):
    make_webhook(town_a, receiver.url)
    change_status(town_a, in_town)
    with in_town(town_a):
        (claimed,) = claim()  # the worker dies here, before or after sending
        assert claim() == []
        Delivery.objects.update(next_attempt_at=timezone.now())  # its claim ran out
        with committing():
            deliver_due()
    (headers, _) = receiver.requests[0]
    assert headers["webhook-id"] == claimed.message_id
