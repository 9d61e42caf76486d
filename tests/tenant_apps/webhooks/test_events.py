"""Which changes of a town become which events, with what in their payload."""

import json

import pytest
from django.db import transaction

from tenant_apps.calls.enums import Decision
from tenant_apps.calls.models import Call
from tenant_apps.calls.signals import call_decided
from tenant_apps.proposals.enums import Answer
from tenant_apps.proposals.models import Proposal
from tenant_apps.proposals.services import answer_proposal
from tenant_apps.webhooks.models import Delivery
from tests.factories import DemandFactory, PremisesFactory
from tests.jobs import committing
from tests.tenant_apps.calls.factories import ApplicationFactory, CallFactory
from tests.tenant_apps.webhooks.conftest import make_webhook
from tests.tenant_apps.webhooks.receiver import closed_port_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def listening(town_a):
    """An endpoint of town A listening to every event (never reached here)."""
    return make_webhook(town_a, closed_port_url())


def events():
    return [
        (delivery.event_type, json.loads(delivery.payload)["data"])
        for delivery in Delivery.objects.order_by("pk")
    ]


def test_a_change_of_status_names_both_statuses(town_a, in_town, listening):
    with in_town(town_a):
        with committing():
            demand = DemandFactory()
            demand.transition_to("qualified", actor="test")
        ((kind, data),) = events()
    assert kind == "demand.status_changed"
    assert (data["from_status"], data["to_status"]) == ("new", "qualified")
    assert data["demand"]["reference"] == demand.reference
    assert data["demand"]["status"] == "qualified"


def test_a_porteurs_answer_to_a_proposal(town_a, in_town, listening):
    with in_town(town_a):
        demand = DemandFactory(status="proposals")
        premises = PremisesFactory()
        proposal = Proposal.objects.create(demand=demand, premises=premises, origin="team")
        with committing():
            answer_proposal(proposal, Answer.DECLINED, reason="price", comment="Trop cher")
        answered = [data for kind, data in events() if kind == "proposal.answered"]
        with committing():  # the same answer again changes nothing
            answer_proposal(proposal, Answer.DECLINED, reason="price", comment="Trop cher")
        assert len([kind for kind, _ in events() if kind == "proposal.answered"]) == 1
    (data,) = answered
    assert data["proposal"]["answer"] == "declined"
    assert data["proposal"]["reason"] == "price"
    assert data["proposal"]["demand_reference"] == demand.reference
    assert "Trop cher" not in json.dumps(data)  # the porteur's words stay here


def test_premises_entering_the_catalogue_are_published_once(town_a, in_town, listening):
    with in_town(town_a):
        with committing():
            draft = PremisesFactory(is_published=False)
            PremisesFactory(is_published=True, address="1 place du Marché")
        with committing():
            draft.is_published = True
            draft.save()
        with committing():
            draft.description = "Belle vitrine"
            draft.save()  # already in the catalogue: no new event
        published = [data["premises"] for kind, data in events() if kind == "premises.published"]
    assert [item["address"] for item in published] == ["1 place du Marché", draft.address]


def test_premises_let_or_sold(town_a, in_town, listening):
    with in_town(town_a):
        premises = PremisesFactory()
        with committing():
            premises.change_state("reserved", refresh=False)
            premises.change_state("let", refresh=False)
        let = [data for kind, data in events() if kind == "premises.let"]
    (data,) = let
    assert data["premises"]["id"] == premises.pk
    assert data["premises"]["state"] == "let"
    assert data["from_state"] == "reserved"


def test_a_decided_call_counts_its_decisions_without_names(town_a, in_town, listening):
    with in_town(town_a):
        call = CallFactory(status="decided")
        ApplicationFactory(call=call, decision=Decision.SELECTED, name="Inès Martin")
        ApplicationFactory(call=call, decision=Decision.DECLINED, decision_reason="Hors sujet")
        with committing():
            call_decided.send(sender=Call, call=call)
        ((kind, data),) = events()
    assert kind == "call.decided"
    assert data["call"]["id"] == call.pk
    assert data["call"]["decisions"] == {"selected": 1, "declined": 1}
    assert "Inès" not in json.dumps(data)


def test_a_change_rolled_back_sends_nothing(town_a, in_town, listening):
    with in_town(town_a):
        demand = DemandFactory()
        with pytest.raises(RuntimeError), transaction.atomic():
            demand.transition_to("qualified", actor="test")
            raise RuntimeError("la requête échoue après le changement")
        assert not Delivery.objects.exists()
