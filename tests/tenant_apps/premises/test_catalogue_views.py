"""Catalogue views: each visit of /locaux/<id>/ adds one to that premises' counter of the
day (nothing about the visitor); staff see views and interests on the premises page, a
partner on its own premises in the portal; each town counts its own."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tenant_apps.network.models import NetworkMember
from tenant_apps.premises.models import CatalogueViewCount
from tenant_apps.proposals.services import express_interest
from tests.conftest import client_for, logged_in_client
from tests.factories import DemandFactory, MembershipFactory, PartnerMemberFactory, PremisesFactory

pytestmark = pytest.mark.django_db


def counts(town, in_town):
    with in_town(town):
        return sorted(CatalogueViewCount.objects.values_list("premises__address", "day", "count"))


def test_each_visit_adds_one_to_the_premises_counter_of_the_day(town_a, town_b, in_town):
    with in_town(town_a):
        seen = PremisesFactory(address="1 rue Vue", is_published=True)
        hidden = PremisesFactory(address="2 rue Cachée", is_published=False)
    with in_town(town_b):
        other = PremisesFactory(address="3 rue d’Ailleurs", is_published=True)
    visitor = client_for(town_a)

    for _ in range(3):
        assert visitor.get(f"/locaux/{seen.pk}/").status_code == 200
    assert visitor.get(f"/locaux/{hidden.pk}/").status_code == 404
    assert client_for(town_b).get(f"/locaux/{other.pk}/").status_code == 200

    today = timezone.localdate()
    assert counts(town_a, in_town) == [("1 rue Vue", today, 3)]
    assert counts(town_b, in_town) == [("3 rue d’Ailleurs", today, 1)]


def test_the_counter_keeps_no_personal_data():
    fields = {field.name for field in CatalogueViewCount._meta.get_fields()}
    assert fields == {"id", "premises", "day", "count"}


def test_recording_twice_the_same_day_updates_one_row(town_a, in_town):
    with in_town(town_a):
        premises = PremisesFactory()
        CatalogueViewCount.record(premises.pk)
        CatalogueViewCount.record(premises.pk)
        CatalogueViewCount.record(premises.pk, day=timezone.localdate() - timedelta(days=1))
        assert sorted(CatalogueViewCount.objects.values_list("count", flat=True)) == [1, 2]


def test_staff_see_views_and_interests_on_the_premises_page(town_a, in_town):
    today = timezone.localdate()
    with in_town(town_a):
        premises = PremisesFactory(is_published=True)
        CatalogueViewCount.objects.create(
            premises=premises, day=today - timedelta(days=40), count=2
        )
        CatalogueViewCount.objects.create(premises=premises, day=today - timedelta(days=1), count=5)
        express_interest(DemandFactory(status="qualified"), premises)
    client_for(town_a).get(f"/locaux/{premises.pk}/")
    staff = logged_in_client(town_a, MembershipFactory(territory=town_a, role="agent").user)

    text = staff.get(f"/gestion/locaux/{premises.pk}/").text

    assert "Page du catalogue vue 8 fois, dont 6 sur les 30 derniers jours" in text
    assert "1 porteur a dit « ce local m’intéresse »" in text


def test_a_partner_sees_the_views_and_interests_of_its_own_premises_only(town_a, town_b, in_town):
    member = PartnerMemberFactory(partner__name="Agence du Beffroi")
    rival = PartnerMemberFactory(partner__name="Agence Rivale")
    with in_town(town_a):
        NetworkMember.objects.create(partner=member.partner, status="active")
        own = PremisesFactory(
            address="4 rue de l’Agence", managing_partner=member.partner, is_published=True
        )
        PremisesFactory(address="5 rue Rivale", managing_partner=rival.partner)
        CatalogueViewCount.objects.create(premises=own, day=timezone.localdate(), count=4)
        express_interest(DemandFactory(status="qualified"), own)
        express_interest(DemandFactory(status="qualified"), own)
    with in_town(town_b):
        NetworkMember.objects.create(partner=member.partner, status="active")
        elsewhere = PremisesFactory(address="6 rue de B", managing_partner=member.partner)
        CatalogueViewCount.objects.create(premises=elsewhere, day=timezone.localdate(), count=7)

    text = logged_in_client(town_a, member.user).get("/partenaires/locaux/").text

    assert '<td data-label="Vues dans le catalogue">4</td>' in text
    assert '<td data-label="« Ce local m’intéresse »">2</td>' in text
    assert "5 rue Rivale" not in text
    assert "6 rue de B" not in text and ">7<" not in text


def test_the_dashboard_and_open_data_count_views_and_interests_of_the_period(
    town_a, town_b, in_town
):
    from tenant_apps.townsite.models import TownSettings

    today = timezone.localdate()
    with in_town(town_a):
        settings = TownSettings.load()
        settings.publish_open_data = True
        settings.save()
        popular = PremisesFactory(address="7 rue Courue", is_published=True)
        quiet = PremisesFactory(address="8 rue Calme", is_published=True)
        CatalogueViewCount.objects.create(premises=popular, day=today, count=9)
        CatalogueViewCount.objects.create(premises=quiet, day=today - timedelta(days=3), count=2)
        CatalogueViewCount.objects.create(premises=quiet, day=today - timedelta(days=400), count=50)
        for _ in range(3):
            express_interest(DemandFactory(status="qualified"), popular)
    with in_town(town_b):
        CatalogueViewCount.objects.create(premises=PremisesFactory(), day=today, count=100)
    staff = logged_in_client(town_a, MembershipFactory(territory=town_a, role="read_only").user)

    response = staff.get("/gestion/tableau-de-bord/")
    data = client_for(town_a).get("/donnees-ouvertes.json").json()["indicateurs"]

    board = response.context["board"]
    assert (board.catalogue.views, board.catalogue.interests) == (11, 3)  # 50 too old, B apart
    assert [
        (row.label, row.value, row.extra["interests"]) for row in board.catalogue.by_premises
    ] == [
        ("7 rue Courue", 9, 3),
        ("8 rue Calme", 2, 0),
    ]
    assert '<td data-label="Vues">9</td><td data-label="« Ce local m’intéresse »">3</td>' in (
        response.text
    )
    assert data["catalogue"] == {"vues_des_pages_des_locaux": 11, "ce_local_m_interesse": 3}
    assert "7 rue Courue" not in json.dumps(data, ensure_ascii=False)
