"""Redis stopped while porteurs submit: every demand is saved, no error page, and each
email goes out exactly once when Redis is back (a private redis-server, stopped and
started again on its port; the machine's shared Redis is never touched). Also with Redis
stopped: a one-time sign-in link works, once; a large export queued meanwhile is built by
the catch-up once Redis is back."""

import collections
from datetime import timedelta

import django_rq
import pytest
from django.core import mail
from django.utils import timezone

from shared_apps.accounts.one_time import one_time_token
from shared_apps.national.views import VIEW_AS_SALT
from shared_apps.onboarding.services import WELCOME_SALT
from tenant_apps.backoffice.exports import resume_exports
from tenant_apps.backoffice.models import Export
from tenant_apps.demands.models import Demand, DemandEvent
from tenant_apps.demands.services import announce_pending
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.mailing.services import deliver_pending
from tests.conftest import client_for, logged_in_client
from tests.factories import PASSWORD, DemandFactory, MembershipFactory, UserFactory
from tests.jobs import committing, run_jobs
from tests.tenant_apps.demands.helpers import CONTACT, submit_demand

pytestmark = pytest.mark.django_db
ANNOUNCE = "tenant_apps.demands.services.announce_submission"


def porteur_submits(town, number):
    client = client_for(town)
    email = f"porteur{number}@example.fr"
    response = submit_demand(client, **{"/demande/contact/": {**CONTACT, "email": email}})
    assert response.status_code == 302, response.status_code
    assert response["Location"] == "/demande/envoyee/"
    assert client.get("/demande/envoyee/").status_code == 200
    return email


def announcements_queued():
    queue = django_rq.get_queue("emails")
    return sum(job.args[1] == ANNOUNCE for job in queue.get_jobs())


def test_demands_sent_while_redis_is_down_are_saved_and_emailed_once(
    town_a, in_town, private_redis
):
    agent = MembershipFactory(territory=town_a, role="agent").user
    before = porteur_submits(town_a, 0)  # its announcement job waits in Redis
    assert announcements_queued() == 1

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
        assert not OutboundEmail.objects.exists()  # the announcements wait for Redis
    assert mail.outbox == []

    private_redis.start()  # same port; its append-only file kept the first job
    assert announcements_queued() == 1
    with in_town(town_a):
        # The periodic catch-up (five minutes later) announces every demand without its
        # emails, once — the first one too, whose job still waits: it writes and sends
        # them...
        DemandEvent.objects.update(created_at=timezone.now() - timedelta(minutes=5))
        assert announce_pending() == 4
        assert announce_pending() == 0
    # ...the job queued before the outage finds its emails sent...
    run_jobs()
    with in_town(town_a):
        # ...and the emails' own catch-up finds nothing left to send.
        OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=5))
        assert deliver_pending() == 0

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


@pytest.mark.parametrize(
    ("path", "salt", "role", "lands_on"),
    [
        ("/compte/bienvenue/{}/", WELCOME_SALT, "admin", "/gestion/premiers-pas/"),
        ("/compte/consultation/{}/", VIEW_AS_SALT, "anct", "/gestion/"),
    ],
    ids=["welcome", "consultation"],
)
def test_a_one_time_link_works_once_while_redis_is_down(
    town_a, private_redis, path, salt, role, lands_on
):
    if role == "anct":
        user = UserFactory(anct=True)
    else:
        user = MembershipFactory(territory=town_a, role=role).user
    link = path.format(one_time_token(town_a, user, salt=salt))
    private_redis.stop()

    first = client_for(town_a)
    response = first.get(link)
    assert response.status_code == 302
    assert response["Location"] == lands_on
    assert first.get(lands_on).status_code == 200  # signed in, Redis still down

    replay = client_for(town_a)
    assert replay.get(link).status_code == 400
    assert replay.get("/gestion/").status_code == 302  # nobody signed in

    private_redis.start()  # back up: the link stays used
    assert client_for(town_a).get(link).status_code == 400


def test_an_export_asked_while_redis_is_down_is_built_by_the_catch_up(
    town_a, in_town, private_redis, settings
):
    settings.EXPORT_INLINE_MAX_ROWS = 1  # a job, not a file at once
    with in_town(town_a):
        DemandFactory.create_batch(3)
    agent = logged_in_client(town_a, MembershipFactory(territory=town_a, role="agent").user)

    private_redis.stop()
    response = agent.get("/gestion/export/?format=csv&status=all")
    assert response.status_code == 302
    status_url = response["Location"]
    assert "en préparation" in agent.get(status_url).text

    private_redis.start()
    run_jobs()
    with in_town(town_a):
        assert Export.objects.get().status == Export.Status.PENDING  # its job was lost
        Export.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=2))
        with committing():  # it queues the job once its transaction commits
            assert resume_exports() == 1
    run_jobs()

    assert "est prêt" in agent.get(status_url).text
    download = agent.get(f"{status_url}fichier/")
    assert len(b"".join(download.streaming_content).splitlines()) == 4


def test_signing_in_works_while_redis_is_down(town_a, private_redis):
    """allauth's login rate limits live in the cache: with Redis down they let people in
    (the password check still runs) rather than answer an error page."""
    agent = MembershipFactory(territory=town_a, role="agent").user
    private_redis.stop()
    client = client_for(town_a)

    assert client.get("/compte/login/").status_code == 200
    response = client.post("/compte/login/", {"login": agent.email, "password": "mauvais"})
    assert response.status_code == 200 and "sont incorrects" in response.text
    response = client.post("/compte/login/", {"login": agent.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/gestion/"


def test_the_catalogue_and_a_premises_save_work_while_redis_is_down(town_a, in_town, private_redis):
    from tests.factories import PremisesFactory

    with in_town(town_a):
        PremisesFactory(address="3 rue Sans Redis", is_published=True)
    private_redis.stop()
    with in_town(town_a):
        PremisesFactory(address="4 rue Sans Redis", is_published=True)  # its cache bump

    page = client_for(town_a).get("/locaux/")
    assert page.status_code == 200
    assert "3 rue Sans Redis" in page.text and "4 rue Sans Redis" in page.text
