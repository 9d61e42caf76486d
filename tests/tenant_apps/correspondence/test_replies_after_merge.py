"""A porteur answers an email sent before their two demands were merged: the reply
address names the newer demand, now a tombstone; the reply lands on the merged demand
(as its follow-up link does) instead of being refused as unknown. Town by town."""

import pytest

from tenant_apps.correspondence.addresses import reply_address
from tenant_apps.correspondence.inbound import receive
from tenant_apps.correspondence.models import DemandEmail
from tenant_apps.demands.merge import merge
from tests.factories import DemandFactory, MembershipFactory
from tests.tenant_apps.correspondence.helpers import reply

pytestmark = pytest.mark.django_db


def test_a_reply_to_the_merged_demands_address_lands_on_the_demand_it_joined(
    town_a, town_b, in_town
):
    agent = MembershipFactory(territory=town_a, role="agent").user
    with in_town(town_a):
        older = DemandFactory(applicant__email="camille@example.fr")
        newer = DemandFactory(applicant__email="camille@example.fr")
        address = reply_address(newer)
        merge(older, newer, by=agent)
    with in_town(town_b):
        other = DemandFactory(pk=newer.pk + 1000)

    [outcome] = receive(reply(address, sender="camille@example.fr").as_bytes(), [address])

    assert outcome.refused == ""
    with in_town(town_a):
        email = DemandEmail.objects.get()
        assert email.demand_id == older.pk
        assert email.body == "Bonjour, oui je suis disponible jeudi."
    with in_town(town_b):
        assert not DemandEmail.objects.filter(demand=other).exists()


def test_a_reply_to_a_merged_demand_whose_survivor_was_erased_is_refused(town_a, in_town):
    agent = MembershipFactory(territory=town_a, role="agent").user
    with in_town(town_a):
        older = DemandFactory()
        newer = DemandFactory()
        address = reply_address(newer)
        merge(older, newer, by=agent)
        older.refresh_from_db()
        older.erase()

    [outcome] = receive(reply(address).as_bytes(), [address])

    assert outcome.refused
    with in_town(town_a):
        assert not DemandEmail.objects.exists()
