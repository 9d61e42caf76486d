"""Redis stopped while porteurs submit: every demand is saved, no error page, and each
email goes out exactly once when Redis is back (a private redis-server, stopped and
started again on its port; the machine's shared Redis is never touched)."""

import collections
from datetime import timedelta

import django_rq
import pytest
from django.core import mail
from django.utils import timezone
from rq import SimpleWorker

from tenant_apps.demands.models import Demand
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.mailing.services import deliver_pending
from tests.conftest import client_for, logged_in_client
from tests.factories import MembershipFactory
from tests.tenant_apps.demands.helpers import CONTACT, submit_demand

pytestmark = pytest.mark.django_db


def porteur_submits(town, number):
    client = client_for(town)
    email = f"porteur{number}@example.fr"
    response = submit_demand(client, **{"/demande/contact/": {**CONTACT, "email": email}})
    assert response.status_code == 302, response.status_code
    assert response["Location"] == "/demande/envoyee/"
    assert client.get("/demande/envoyee/").status_code == 200
    return email


def test_demands_sent_while_redis_is_down_are_saved_and_emailed_once(
    town_a, in_town, private_redis
):
    agent = MembershipFactory(territory=town_a, role="agent").user
    before = porteur_submits(town_a, 0)  # its delivery job waits in Redis
    assert django_rq.get_queue("emails").count == 2  # porteur and team

    private_redis.stop()
    during = [porteur_submits(town_a, number) for number in range(1, 4)]
    inbox = logged_in_client(town_a, agent).get("/gestion/")  # counts cached in Redis
    assert inbox.status_code == 200
    assert "Boulangerie artisanale" in inbox.text  # the demands listed, counts computed
    with in_town(town_a):
        assert set(Demand.objects.values_list("applicant__email", flat=True)) == {
            before,
            *during,
        }
        assert OutboundEmail.objects.pending().count() == 8
    assert mail.outbox == []

    private_redis.start()  # same port; its append-only file kept the first jobs
    assert django_rq.get_queue("emails").count == 2
    with in_town(town_a):
        # The periodic catch-up (five minutes later) sends what Redis could not queue...
        OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=5))
        assert deliver_pending() == 8
    # ...and the jobs queued before the outage find their emails already sent.
    queue = django_rq.get_queue("emails")
    SimpleWorker([queue], connection=queue.connection).work(burst=True)

    sent = collections.Counter(message.to[0] for message in mail.outbox)
    assert sent == {before: 1, **dict.fromkeys(during, 1), agent.email: 4}
    with in_town(town_a):
        assert not OutboundEmail.objects.pending().exists()
        assert OutboundEmail.objects.count() == len(mail.outbox) == 8
        references = dict(Demand.objects.values_list("applicant__email", "reference"))
    for message in mail.outbox:  # each email names its demand's final reference
        if message.to[0] in references:
            reference = references[message.to[0]]
            assert reference in message.subject and reference in message.body
        assert "~" not in message.subject + message.body
