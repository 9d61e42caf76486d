"""The team's daily digest lists each person's overdue tasks and today's, with their
links; someone with tasks due and no demand waiting gets it too; nothing of another
town, nor of tomorrow, nor done; still once a day."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shared_apps.accounts.enums import Role
from tenant_apps.demands.tasks import keep_stock_alive
from tenant_apps.mailing.models import OutboundEmail
from tests.factories import DemandFactory, MembershipFactory, PremisesFactory, TaskFactory

pytestmark = pytest.mark.django_db


def digests(town, in_town):
    with in_town(town):
        return {
            email.to: email for email in OutboundEmail.objects.filter(key__startswith="digest:")
        }


def test_tasks_due_bring_the_digest_even_without_a_demand_waiting(town_a, town_b, in_town):
    agent = MembershipFactory(territory=town_a, role=Role.AGENT, user__first_name="Léa").user
    idle = MembershipFactory(territory=town_a, role=Role.AGENT).user
    MembershipFactory(territory=town_b, user=agent, role=Role.AGENT)
    today = timezone.localdate()
    with in_town(town_b):
        TaskFactory(title="Tâche de B du jour", assignee=agent, due_on=today)
    with in_town(town_a):
        demand = DemandFactory(
            reference="DIG-2026-00001", activity="Fromagerie", status="searching"
        )
        premises = PremisesFactory(address="3 place du Marché")
        TaskFactory(
            demand=demand,
            title="Rappeler le porteur",
            assignee=agent,
            due_on=today - timedelta(days=2),
        )
        TaskFactory(
            demand=None,
            premises=premises,
            title="Relancer le bailleur",
            assignee=agent,
            due_on=today,
        )
        TaskFactory(title="Pour demain", assignee=agent, due_on=today + timedelta(days=1))
        TaskFactory(title="Déjà faite", assignee=agent, due_on=today, done_at=timezone.now())
        assert keep_stock_alive()["digests"] == 1
        assert keep_stock_alive()["digests"] == 1  # the same day: the outbox key holds
    sent = digests(town_a, in_town)
    assert list(sent) == [agent.email]  # nobody without anything due
    digest = sent[agent.email]
    assert digest.subject == "À faire aujourd’hui — Ville A"
    overdue, _, today_part = digest.body.partition("Vos tâches du jour :")
    assert "Vos tâches en retard :" in overdue
    assert "Rappeler le porteur · DIG-2026-00001 · Fromagerie · prévue le" in overdue
    assert town_a.url("/gestion/demandes/DIG-2026-00001/") in overdue
    assert "Relancer le bailleur · 3 place du Marché" in today_part
    assert town_a.url(f"/gestion/locaux/{premises.pk}/") in today_part
    assert "Pour demain" not in digest.body and "Déjà faite" not in digest.body
    assert "Tâche de B" not in digest.body
    assert town_a.url("/gestion/taches/") in digest.body
    assert idle.email not in sent


def test_tasks_join_the_demands_in_the_same_digest(town_a, in_town):
    agent = MembershipFactory(territory=town_a, role=Role.AGENT).user
    with in_town(town_a):
        DemandFactory(
            reference="DUE-2026-00001",
            status="searching",
            assignee=agent,
            next_action_on=timezone.localdate(),
            applicant_seen_at=timezone.now(),
        )
        TaskFactory(title="Préparer la visite", assignee=agent, due_on=timezone.localdate())
        keep_stock_alive()
    (digest,) = digests(town_a, in_town).values()
    assert digest.subject == "1 demande à traiter aujourd’hui — Ville A"
    assert "DUE-2026-00001" in digest.body and "Préparer la visite" in digest.body


def test_a_former_member_gets_no_digest_for_their_tasks(town_a, in_town):
    gone = MembershipFactory(territory=town_a, role=Role.AGENT, is_active=False).user
    viewer = MembershipFactory(territory=town_a, role=Role.READ_ONLY).user
    with in_town(town_a):
        TaskFactory(title="Orpheline", assignee=gone, due_on=timezone.localdate())
        TaskFactory(title="Lectrice", assignee=viewer, due_on=timezone.localdate())
        assert keep_stock_alive()["digests"] == 0
