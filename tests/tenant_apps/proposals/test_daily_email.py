"""The porteur's proposals email: one a day gathering the day's proposals, exactly once."""

import re

import pytest
from django.core import mail

from tenant_apps.demands.models import Demand
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.proposals.models import Proposal
from tenant_apps.proposals.services import express_interest, propose
from tenant_apps.proposals.tasks import announce_proposals
from tests.factories import DemandFactory, PremisesFactory
from tests.jobs import committing, run_jobs

pytestmark = pytest.mark.django_db


def announce(town, in_town):
    with in_town(town), committing():
        return announce_proposals()


def test_one_email_a_day_gathers_the_proposals_of_each_porteur(
    town_a, in_town, demand, premises, agent
):
    with in_town(town_a):
        other = DemandFactory(applicant__email="lou@example.fr")
        second = PremisesFactory(address="5 place du Marché", monthly_rent=1100)
        propose(demand, premises, by=agent, message="À deux pas de la gare.")
        propose(demand, second, by=agent)
        propose(other, premises, by=agent)

    assert announce(town_a, in_town) == 2
    run_jobs()

    to_ines = [m for m in mail.outbox if m.to == ["ines.moreau@example.fr"]]
    assert len(to_ines) == 1 and len(mail.outbox) == 2
    [message] = to_ines
    assert message.subject.startswith("2 locaux vous sont proposés")
    assert "12 rue des Arcades" in message.body and "5 place du Marché" in message.body
    assert "À deux pas de la gare." in message.body
    assert re.search(r"https?://ville-a\.\S+/suivi/\S+/#propositions", message.body)
    with in_town(town_a):
        assert not Proposal.objects.filter(emailed_at__isnull=True).exists()

    # A second run, the same day or the next, sends nothing more…
    assert announce(town_a, in_town) == 0
    # …until something new is proposed: then only that.
    with in_town(town_a):
        propose(demand, PremisesFactory(address="9 rue Neuve"), by=agent)
    assert announce(town_a, in_town) == 1
    run_jobs()
    assert (
        "9 rue Neuve" in mail.outbox[-1].body and "12 rue des Arcades" not in mail.outbox[-1].body
    )


def test_what_the_porteur_already_answered_or_can_no_longer_have_is_not_announced(
    town_a, in_town, demand, premises, agent
):
    with in_town(town_a):
        let = PremisesFactory()
        propose(demand, let, by=agent)
        let.change_state("let")
        express_interest(demand, premises)  # the porteur's own interest: nothing to tell
        closed = DemandFactory()
        propose(closed, PremisesFactory(), by=agent)
        Demand.objects.filter(pk=closed.pk).update(status="abandoned")
    assert announce(town_a, in_town) == 0
    with in_town(town_a):
        assert not OutboundEmail.objects.filter(key__contains=":proposals:").exists()


def test_an_erased_porteur_keeps_no_copy(town_a, in_town, demand, premises, agent):
    with in_town(town_a):
        propose(demand, premises, by=agent)
    announce(town_a, in_town)
    with in_town(town_a):
        Demand.objects.get(pk=demand.pk).erase()
        # Not sent yet: dropped (a sent one would be emptied).
        assert not OutboundEmail.objects.filter(key__contains=":proposals:").exists()
