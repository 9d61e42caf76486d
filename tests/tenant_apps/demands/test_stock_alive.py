"""Keeping the stock alive: ask silent porteurs once, put unanswered demands to sleep,
wake them when the porteur answers, remind the team once a day."""

from datetime import timedelta

import django_rq
import pytest
from django.utils import timezone
from rq import SimpleWorker

from tenant_apps.demands.enums import DemandStatus
from tenant_apps.demands.models import Demand, Reminder
from tenant_apps.demands.tasks import keep_stock_alive
from tenant_apps.mailing.models import OutboundEmail
from tenants.jobs import for_each_town
from tests.conftest import client_for, logged_in_client
from tests.factories import DemandFactory, MembershipFactory

pytestmark = pytest.mark.django_db
DAYS_AGO = lambda days: timezone.now() - timedelta(days=days)  # noqa: E731


def test_a_silent_porteur_is_asked_once(town_a, in_town):
    with in_town(town_a):
        silent = DemandFactory(status=DemandStatus.SEARCHING, applicant_seen_at=DAYS_AGO(40))
        DemandFactory(status=DemandStatus.SEARCHING, applicant_seen_at=DAYS_AGO(5))
        DemandFactory(status=DemandStatus.INSTALLED, applicant_seen_at=DAYS_AGO(400))
        assert keep_stock_alive()["asked"] == 1
        assert keep_stock_alive()["asked"] == 0
        emails = OutboundEmail.objects.filter(key__endswith=":ask")
        assert [email.to for email in emails] == [silent.applicant.email]
        assert "/toujours/" in emails.get().body
        assert Reminder.objects.filter(demand=silent).count() == 1


def test_no_answer_puts_the_demand_to_sleep_and_out_of_the_inbox(town_a, in_town):
    with in_town(town_a):
        demand = DemandFactory(status=DemandStatus.SEARCHING, applicant_seen_at=DAYS_AGO(60))
        keep_stock_alive()
        Reminder.objects.update(created_at=DAYS_AGO(16))
        assert keep_stock_alive()["dormant"] == 1
        demand.refresh_from_db()
        assert demand.status == DemandStatus.DORMANT
        assert not Demand.objects.open().filter(pk=demand.pk).exists()
        assert keep_stock_alive() == {"asked": 0, "dormant": 0, "digests": 0, "erased": 0}


def test_the_question_and_the_sleep_show_in_the_history_of_that_town_only(town_a, town_b, in_town):
    agent = MembershipFactory(territory=town_a, role="agent").user
    with in_town(town_a):
        demand = DemandFactory(status=DemandStatus.SEARCHING, applicant_seen_at=DAYS_AGO(60))
        keep_stock_alive()
        Reminder.objects.update(created_at=DAYS_AGO(16))
        keep_stock_alive()
        followup = demand.followup_path()
    with in_town(town_b):
        other = DemandFactory(status=DemandStatus.SEARCHING, applicant_seen_at=DAYS_AGO(5))
    history = (
        logged_in_client(town_a, agent)
        .get(f"/gestion/demandes/{demand.reference}/")
        .text.split("Historique", 1)[1]
    )
    assert "Relance : cherchez-vous toujours ?" in history
    assert "Mise en sommeil faute de réponse" in history
    assert "En recherche → En sommeil" in history
    # The porteur sees the question on their page; the sleep is the team's business.
    porteur = client_for(town_a).get(followup).text
    assert "cherchez-vous toujours ?" in porteur
    assert "Mise en sommeil faute de réponse" not in porteur
    with in_town(town_b):
        assert not other.events.exclude(kind="submitted").exists()


def test_the_one_click_answer_wakes_the_demand(town_a, in_town):
    with in_town(town_a):
        demand = DemandFactory(status=DemandStatus.DORMANT, applicant_seen_at=DAYS_AGO(80))
        path = demand.followup_path() + "toujours/"
    client = client_for(town_a)
    assert client.get(path).status_code == 200  # the question; its button answers
    response = client.post(path)
    assert response.status_code == 302
    with in_town(town_a):
        demand.refresh_from_db()
        assert demand.status == DemandStatus.SEARCHING
        assert demand.applicant_seen_at > DAYS_AGO(1)
        assert Demand.objects.open().filter(pk=demand.pk).exists()


def test_an_answer_after_the_question_keeps_the_demand_awake(town_a, in_town):
    with in_town(town_a):
        demand = DemandFactory(status=DemandStatus.SEARCHING, applicant_seen_at=DAYS_AGO(60))
        keep_stock_alive()
        Reminder.objects.update(created_at=DAYS_AGO(16))
        demand.confirm_still_searching()
        assert keep_stock_alive()["dormant"] == 0
        demand.refresh_from_db()
        assert demand.status == DemandStatus.SEARCHING


def test_the_team_gets_one_digest_a_day(town_a, in_town):
    admin = MembershipFactory(territory=town_a, role="admin").user
    agent = MembershipFactory(territory=town_a, role="agent").user
    with in_town(town_a):
        DemandFactory(reference="OLD-NEW", created_at=DAYS_AGO(10))
        DemandFactory(
            reference="DUE",
            status=DemandStatus.SEARCHING,
            assignee=agent,
            next_action_on=timezone.localdate(),
            applicant_seen_at=timezone.now(),
        )
        assert keep_stock_alive()["digests"] == 2
        keep_stock_alive()
        digests = {
            email.to: email.body
            for email in OutboundEmail.objects.filter(key__startswith="digest:")
        }
    assert set(digests) == {admin.email, agent.email}
    assert "OLD-NEW" in digests[admin.email] and "DUE" not in digests[admin.email]
    assert "DUE" in digests[agent.email]


def test_the_daily_round_runs_in_each_town_through_the_queue(town_a, town_b, in_town):
    with in_town(town_a):
        DemandFactory(status=DemandStatus.SEARCHING, applicant_seen_at=DAYS_AGO(40))
    for_each_town("tenant_apps.demands.tasks.keep_stock_alive")
    queue = django_rq.get_queue("default")
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    with in_town(town_a):
        assert OutboundEmail.objects.filter(key__endswith=":ask").count() == 1
    with in_town(town_b):
        assert not OutboundEmail.objects.exists()


def test_old_closed_demands_are_anonymised_after_the_retention_period(town_a, in_town):
    with in_town(town_a):
        old = DemandFactory(status=DemandStatus.INSTALLED, applicant__email="ancien@example.fr")
        open_demand = DemandFactory(status=DemandStatus.SEARCHING, applicant_seen_at=DAYS_AGO(1))
        recent = DemandFactory(status=DemandStatus.ABANDONED)
        Demand.objects.filter(pk__in=[old.pk, open_demand.pk]).update(updated_at=DAYS_AGO(4 * 365))
        assert keep_stock_alive()["erased"] == 1
        old.refresh_from_db()
        assert old.erased_at is not None and old.applicant.first_name == "Anonyme"
        assert (
            Demand.objects.filter(pk__in=[open_demand.pk, recent.pk], erased_at=None).count() == 2
        )
