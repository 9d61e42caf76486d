"""A published call is told, once, by a job on the real queue: to the porteurs whose open
demand fits its premises and who asked for alerts, and to the network's partners who take
alerts of that kind of premises; never to another town's porteurs or partners."""

import re

import pytest
from django.core import mail

from shared_apps.accounts.enums import Role
from tenant_apps.calls.notifications import announce_call
from tenant_apps.network.models import NetworkMember
from tests.conftest import logged_in_client
from tests.factories import DemandFactory, MembershipFactory, NetworkMemberFactory, PartnerFactory
from tests.jobs import committing, run_jobs
from tests.tenant_apps.applicant_alerts.helpers import subscribed_demand
from tests.tenant_apps.calls.factories import CallFactory

pytestmark = pytest.mark.django_db


def emails_to(address):
    return [message for message in mail.outbox if address in message.to]


def test_publishing_tells_fitting_porteurs_and_partners_once(town_a, town_b, in_town):
    agent = MembershipFactory(territory=town_a, role=Role.AGENT).user
    with in_town(town_a):
        call = CallFactory(draft=True, title="Boutique à l’essai du Marché")
        subscribed_demand(applicant__email="fits@example.fr")
        DemandFactory(applicant__email="did-not-ask@example.fr")
        subscribed_demand(applicant__email="office@example.fr", premises_kind="office")
        NetworkMemberFactory(partner=PartnerFactory(email="bge@example.fr"))
        NetworkMemberFactory(
            partner=PartnerFactory(email="shops-only@example.fr"), premises_kinds=["shop"]
        )
        NetworkMemberFactory(partner=PartnerFactory(email="quiet@example.fr"), alerts_enabled=False)
        NetworkMemberFactory(
            partner=PartnerFactory(email="offices@example.fr"), premises_kinds=["office"]
        )
    with in_town(town_b):
        subscribed_demand(applicant__email="town-b@example.fr")
        NetworkMemberFactory(partner=PartnerFactory(email="partner-b@example.fr"))

    client = logged_in_client(town_a, agent)
    client.post(f"/gestion/appels/{call.pk}/publier/", {"confirmation": "oui"})
    run_jobs()

    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == ["bge@example.fr", "fits@example.fr", "shops-only@example.fr"]
    (porteur,) = emails_to("fits@example.fr")
    assert "Boutique à l’essai du Marché" in porteur.subject
    assert re.search(rf"/suivi/[^/\s]+/appels/{call.pk}/\s", porteur.body)
    assert "/suivi/alertes/desabonnement/" in porteur.extra_headers["List-Unsubscribe"]
    (partner,) = emails_to("bge@example.fr")
    assert f"/appels/{call.pk}/" in partner.body and "/suivi/" not in partner.body

    # A second run (a retry, a worker killed after its commit) tells nobody again.
    with in_town(town_a), committing():
        assert announce_call(call.pk) == 0
    run_jobs()
    assert len(mail.outbox) == 3


def test_a_partner_who_joined_later_hears_of_a_call_still_open_on_the_next_run(town_a, in_town):
    with in_town(town_a):
        call = CallFactory()
        NetworkMemberFactory(partner=PartnerFactory(email="first@example.fr"))
        with committing():
            assert announce_call(call.pk) == 1
        NetworkMemberFactory(partner=PartnerFactory(email="later@example.fr"))
        with committing():
            assert announce_call(call.pk) == 1
    run_jobs()
    assert sorted(a for m in mail.outbox for a in m.to) == ["first@example.fr", "later@example.fr"]


def test_a_closed_or_draft_call_is_told_to_nobody(town_a, in_town):
    with in_town(town_a):
        subscribed_demand()
        NetworkMember.objects.all().delete()
        NetworkMemberFactory()
        draft, late = CallFactory(draft=True), CallFactory(past=True)
        assert announce_call(draft.pk) == 0
        assert announce_call(late.pk) == 0
