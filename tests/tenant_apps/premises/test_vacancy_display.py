"""How long a premises stood empty reads as French: « vide depuis aujourd’hui », « 1 jour »,
« 12 jours »; dates spelled out with their month in lower case (« 3 décembre 2026 »)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tenant_apps.premises.templatetags.vacancy import days, vacant_since
from tests.conftest import logged_in_client
from tests.factories import (
    DemandFactory,
    MembershipFactory,
    NetworkMemberFactory,
    PartnerMemberFactory,
    PremisesFactory,
)

pytestmark = pytest.mark.django_db


def test_days_follow_french_plural_rules():
    assert [days(n) for n in (0, 1, 2, 12)] == [
        "moins d’un jour",
        "1 jour",
        "2 jours",
        "12 jours",
    ]
    assert [vacant_since(n) for n in (0, 1, 30)] == ["aujourd’hui", "1 jour", "30 jours"]
    assert days(None) == vacant_since(None) == ""


def test_a_premises_empty_since_today_says_so_in_the_list_and_on_its_page(town_a, town_b, in_town):
    agent = MembershipFactory(territory=town_a, role="agent").user
    today = timezone.localdate()
    with in_town(town_a):
        fresh = PremisesFactory(address="1 place Neuve", vacant_since=today)
        PremisesFactory(address="2 rue Vieille", vacant_since=today - timedelta(days=1))
        let = PremisesFactory(address="3 rue Louée", vacant_since=today)
        let.change_state("let")
    with in_town(town_b):
        PremisesFactory(address="9 rue de Bé", vacant_since=today - timedelta(days=5))
    client = logged_in_client(town_a, agent)

    listing = client.get("/gestion/locaux/").text
    assert "vide depuis aujourd’hui" in listing and "vide depuis 1 jour<" in listing
    assert "0 j" not in listing and "rue de Bé" not in listing
    assert "vide depuis aujourd’hui" in client.get(f"/gestion/locaux/{fresh.pk}/").text
    page = client.get(f"/gestion/locaux/{let.pk}/").text
    assert "après moins d’un jour de vacance" in page and "0 jour" not in page


def test_the_partner_portal_spells_out_the_month_in_lower_case(town_a, in_town):
    member = PartnerMemberFactory()
    with in_town(town_a):
        NetworkMemberFactory(partner=member.partner)
        received = timezone.make_aware(datetime(2026, 12, 3, 10, 0))
        DemandFactory(status="qualified", created_at=received)
    page = logged_in_client(town_a, member.user).get("/partenaires/demandes/").text
    assert "3 décembre 2026" in page
    assert "Déc" not in page
