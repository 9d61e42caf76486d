"""Which partners hear about which demand: the settings' rules, both ways."""

import pytest

from tenant_apps.network.models import NetworkMember
from tests.factories import AreaFactory, DemandFactory, NetworkMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(town_a, in_town):
    with in_town(town_a):
        yield town_a


def matches(member, demand):
    """Both directions must agree: the fan-out's query and the portal's list."""
    forward = NetworkMember.objects.matching(demand).filter(pk=member.pk).exists()
    backward = member.open_demands().filter(pk=demand.pk).exists()
    assert forward == backward, "fan-out and portal disagree"
    return forward


def test_empty_settings_accept_every_demand(town):
    member = NetworkMemberFactory()
    assert matches(member, DemandFactory())


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"premises_kinds": ["shop"]}, True),
        ({"premises_kinds": ["office", "workshop"]}, False),
        ({"categories": ["food", "craft"]}, True),
        ({"categories": ["health"]}, False),
        ({"surface_min": 90}, True),  # the demand accepts up to 90 m²
        ({"surface_min": 91}, False),
        ({"surface_max": 40}, True),  # ... and from 40 m²
        ({"surface_max": 39}, False),
        ({"budget_min": 1200, "budget_max": 1500}, True),
        ({"budget_min": 1201}, False),
        ({"budget_max": 1199}, False),
    ],
)
def test_each_setting_filters_the_demands(town, settings, expected):
    member = NetworkMemberFactory(**settings)
    demand = DemandFactory(premises_kind="shop", activity_category="food", monthly_budget=1200)
    assert matches(member, demand) is expected


@pytest.mark.parametrize(
    "settings", [{"alerts_enabled": False}, {"status": "requested"}, {"status": "declined"}]
)
def test_no_alert_when_alerts_are_off_or_the_partner_is_not_a_member(town, settings):
    member = NetworkMemberFactory(**settings)
    assert not NetworkMember.objects.matching(DemandFactory()).filter(pk=member.pk).exists()


def test_a_demand_without_budget_reaches_partners_with_a_budget_range(town):
    member = NetworkMemberFactory(budget_min=500, budget_max=900)
    assert matches(member, DemandFactory(monthly_budget=None))


def test_areas_must_overlap_unless_either_side_chose_none(town):
    centre, port = AreaFactory(name="Centre"), AreaFactory(name="Port")
    in_centre = NetworkMemberFactory()
    in_centre.areas.set([centre])
    anywhere = NetworkMemberFactory()
    wants_port, wants_both, wants_any = DemandFactory(), DemandFactory(), DemandFactory()
    wants_port.areas.set([port])
    wants_both.areas.set([centre, port])

    assert not matches(in_centre, wants_port)
    assert matches(in_centre, wants_both)
    assert matches(in_centre, wants_any)
    assert matches(anywhere, wants_port)


def test_closed_or_erased_demands_are_not_listed_in_the_portal(town):
    member = NetworkMemberFactory()
    installed = DemandFactory(status="installed")
    erased = DemandFactory()
    erased.erase()
    assert not member.open_demands().filter(pk__in=[installed.pk, erased.pk]).exists()


def test_hidden_partners_are_never_alerted(town):
    member = NetworkMemberFactory(partner__is_hidden=True)
    assert not NetworkMember.objects.matching(DemandFactory()).filter(pk=member.pk).exists()


def test_stopping_one_kind_keeps_the_others(town):
    member = NetworkMemberFactory()
    member.stop_alerts_for("restaurant")
    assert "restaurant" not in member.premises_kinds and "shop" in member.premises_kinds
    assert matches(member, DemandFactory(premises_kind="shop"))
    assert not matches(member, DemandFactory(premises_kind="restaurant"))
