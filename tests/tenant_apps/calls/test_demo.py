"""The demo's call: one open trial-shop call on a vacant shop, with a progressive rent the
form itself would accept, the town's support network, a grid summing to 100; once only."""

import pytest

from shared_apps.accounts.enums import Role
from tenant_apps.calls.demo import open_one, progressive_rents
from tenant_apps.calls.models import Call, rent_schedule_errors
from tests.factories import MembershipFactory, NetworkMemberFactory, PartnerFactory, PremisesFactory

pytestmark = pytest.mark.django_db


def test_the_demo_opens_one_call_on_a_vacant_shop(town_a, in_town):
    developer = MembershipFactory(territory=town_a, role=Role.ADMIN).user
    network = PartnerFactory(name="Initiative Dracénie Verdon", kind="support_network")
    with in_town(town_a):
        PremisesFactory(state="let", monthly_rent=700)
        vacant = PremisesFactory(state="vacant", monthly_rent=1150)
        NetworkMemberFactory(partner=network)
        call = open_one(developer)
        assert open_one(developer) is None  # run twice, one call
        assert list(Call.objects.open()) == [call]
        grid = sum(c.weight for c in call.criteria.all())
    assert call.premises == vacant and call.support_partner == network
    assert call.rent_schedule[0] == 460 and call.rent_schedule[-1] == 1150
    assert rent_schedule_errors(call.rent_schedule, call.market_rent, call.trial_months) == []
    assert grid == 100


@pytest.mark.parametrize("market_rent", [90, 640, 1150, 4000])
def test_its_rents_climb_to_the_market_rent_without_passing_it(market_rent):
    rents = progressive_rents(market_rent, 12)
    assert rent_schedule_errors(rents, market_rent, 12) == []
    assert rents[-1] > rents[0]
