"""Exchanges: logged from the demand's page by editors, on the timeline (never for the
porteur), changed and deleted (with a confirmation), refused to read-only staff and to
another town, validated with French messages that keep what was typed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shared_apps.accounts.enums import Role
from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import DemandEvent
from tenant_apps.exchanges.models import Exchange
from tests.conftest import client_for, logged_in_client
from tests.factories import (
    DemandFactory,
    ExchangeFactory,
    MembershipFactory,
    NetworkMemberFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(town_a):
    return MembershipFactory(territory=town_a, role=Role.AGENT, user__first_name="Léa").user


@pytest.fixture
def demand(town_a, in_town):
    with in_town(town_a):
        return DemandFactory(reference="EXC-2026-00001")


def posted(demand, **changes):
    yesterday = timezone.localdate() - timedelta(days=1)
    data = {
        "echange-kind": "call",
        "echange-day": yesterday.isoformat(),
        "echange-time": "14:30",
        "echange-duration_minutes": "20",
        "echange-others": "Son associée",
        "echange-summary": "Elle visite le local de la Grand-Rue samedi.",
    }
    data.update({f"echange-{name}": value for name, value in changes.items()})
    return data


def test_an_agent_logs_a_call_with_the_team_and_a_partner(town_a, in_town, agent, demand):
    colleague = MembershipFactory(territory=town_a, role=Role.ADMIN, user__first_name="Hugo")
    partner = PartnerFactory(name="Agence du Marché")
    with in_town(town_a):
        NetworkMemberFactory(partner=partner)
    client = logged_in_client(town_a, agent)
    page = client.get(f"/gestion/demandes/{demand.reference}/").content.decode()
    assert 'action="/gestion/echanges/demandes/EXC-2026-00001/"' in page
    assert "Agence du Marché" in page  # the town's network is offered

    response = client.post(
        f"/gestion/echanges/demandes/{demand.reference}/",
        {
            **posted(demand),
            "echange-team_members": [agent.pk, colleague.user.pk],
            "echange-partners": [partner.pk],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/gestion/demandes/{demand.reference}/#echanges"
    with in_town(town_a):
        exchange = Exchange.objects.get()
        assert exchange.duration_minutes == 20
        assert timezone.localtime(exchange.happened_at).strftime("%H:%M") == "14:30"
        assert set(exchange.team_members.all()) == {agent, colleague.user}
        event = DemandEvent.objects.get(demand=demand, kind=EventKind.EXCHANGE)
    assert event.visible_to_applicant is False
    assert event.user == agent
    assert "Appel le" in event.message and "à 14:30 (20 min)" in event.message
    assert "Agence du Marché" in event.message and "Son associée" in event.message
    page = client.get(f"/gestion/demandes/{demand.reference}/").content.decode()
    assert "Elle visite le local de la Grand-Rue samedi." in page
    assert 'data-label="Participants"' in page


def test_the_porteur_never_sees_an_exchange(town_a, in_town, demand):
    with in_town(town_a):
        ExchangeFactory(demand=demand).save_with_event(user=None, team_members=[], partners=[])
        path = demand.followup_path()
    page = client_for(town_a).get(path).content.decode()
    assert "Point sur le projet." not in page
    assert "Échange" not in page


def test_mistakes_come_back_in_french_with_what_was_typed(town_a, in_town, agent, demand):
    client = logged_in_client(town_a, agent)
    tomorrow = timezone.localdate() + timedelta(days=2)
    response = client.post(
        f"/gestion/echanges/demandes/{demand.reference}/",
        posted(demand, day=tomorrow.isoformat(), duration_minutes="-5", time="25:99"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Saisissez une heure valide" in page
    assert "supérieure ou égale à 1" in page
    assert "Elle visite le local de la Grand-Rue samedi." in page  # nothing typed is lost
    assert 'value="Son associée"' in page
    response = client.post(
        f"/gestion/echanges/demandes/{demand.reference}/",
        posted(demand, day=tomorrow.isoformat(), summary=""),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Un échange se note une fois qu’il a eu lieu" in page
    assert "Ce champ est obligatoire" in page
    with in_town(town_a):
        assert not Exchange.objects.exists()
        assert not DemandEvent.objects.filter(kind=EventKind.EXCHANGE).exists()


def test_editing_rewrites_the_timeline_line(town_a, in_town, agent, demand):
    with in_town(town_a):
        exchange = ExchangeFactory(demand=demand).save_with_event(
            user=agent, team_members=[agent], partners=[]
        )
    client = logged_in_client(town_a, agent)
    form = client.get(f"/gestion/echanges/{exchange.pk}/modifier/").content.decode()
    assert "Point sur le projet." in form
    response = client.post(
        f"/gestion/echanges/{exchange.pk}/modifier/",
        posted(demand, kind="visit", summary="Visite du local, il lui plaît."),
    )
    assert response.status_code == 302
    with in_town(town_a):
        events = list(DemandEvent.objects.filter(kind=EventKind.EXCHANGE))
        exchange.refresh_from_db()
    assert exchange.kind == "visit"
    assert len(events) == 1
    assert events[0].message.startswith("Visite le")
    assert "il lui plaît" in events[0].message


def test_deleting_asks_first_then_removes_its_timeline_line(town_a, in_town, agent, demand):
    with in_town(town_a):
        exchange = ExchangeFactory(demand=demand).save_with_event(
            user=agent, team_members=[], partners=[]
        )
    client = logged_in_client(town_a, agent)
    url = f"/gestion/echanges/{exchange.pk}/supprimer/"
    assert client.get(url).status_code == 405
    confirm = client.post(url)
    assert confirm.status_code == 200
    assert 'name="confirmation" value="oui"' in confirm.content.decode()
    with in_town(town_a):
        assert Exchange.objects.filter(pk=exchange.pk).exists()  # not yet
    assert client.post(url, {"confirmation": "oui"}).status_code == 302
    with in_town(town_a):
        assert not Exchange.objects.exists()
        assert not DemandEvent.objects.filter(kind=EventKind.EXCHANGE).exists()


def test_read_only_staff_see_exchanges_but_change_nothing(town_a, in_town, demand):
    viewer = MembershipFactory(territory=town_a, role=Role.READ_ONLY).user
    with in_town(town_a):
        exchange = ExchangeFactory(demand=demand, summary="Appel de cadrage")
    client = logged_in_client(town_a, viewer)
    page = client.get(f"/gestion/demandes/{demand.reference}/").content.decode()
    assert "Appel de cadrage" in page
    assert "/gestion/echanges/demandes/" not in page  # no form
    assert f"/gestion/echanges/{exchange.pk}/modifier/" not in page
    assert (
        client.post(f"/gestion/echanges/demandes/{demand.reference}/", posted(demand)).status_code
        == 403
    )
    assert (
        client.post(f"/gestion/echanges/{exchange.pk}/modifier/", posted(demand)).status_code == 403
    )
    assert (
        client.post(
            f"/gestion/echanges/{exchange.pk}/supprimer/", {"confirmation": "oui"}
        ).status_code
        == 403
    )
    with in_town(town_a):
        assert Exchange.objects.get().summary == "Appel de cadrage"


def test_another_towns_exchanges_are_out_of_reach(town_a, town_b, in_town, agent):
    with in_town(town_b):
        theirs = ExchangeFactory(pk=700_001, summary="Secret de B")
    with in_town(town_a):
        mine = ExchangeFactory(summary="Échange de A")
    client = logged_in_client(town_a, agent)
    assert client.get(f"/gestion/echanges/{theirs.pk}/modifier/").status_code == 404
    assert (
        client.post(
            f"/gestion/echanges/{theirs.pk}/supprimer/", {"confirmation": "oui"}
        ).status_code
        == 404
    )
    page = client.get(f"/gestion/demandes/{mine.demand.reference}/").content.decode()
    assert "Échange de A" in page and "Secret de B" not in page
    # A's agent on B's host is not B's staff.
    on_b = logged_in_client(town_b, agent)
    assert (
        on_b.post(f"/gestion/echanges/{theirs.pk}/supprimer/", {"confirmation": "oui"}).status_code
        == 403
    )
    with in_town(town_b):
        assert Exchange.objects.filter(pk=theirs.pk).exists()


def test_a_partner_outside_the_network_cannot_be_ticked(town_a, in_town, agent, demand):
    stranger = PartnerFactory(name="Agence d’ailleurs")
    client = logged_in_client(town_a, agent)
    response = client.post(
        f"/gestion/echanges/demandes/{demand.reference}/",
        {**posted(demand), "echange-partners": [stranger.pk]},
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_erasing_the_porteurs_data_empties_the_summaries(town_a, in_town, demand):
    with in_town(town_a):
        exchange = ExchangeFactory(demand=demand, summary="M. Secret au 06…", others="Sa femme")
        demand.erase()
        exchange.refresh_from_db()
    assert exchange.summary == "(effacé)" and exchange.others == ""


def test_an_erased_demand_takes_no_new_exchange(town_a, town_b, in_town, agent, demand):
    """The porteur asked to be forgotten: no new summary about them is written after
    (the erasure emptied the older ones); town B's demand of the same reference is not
    concerned."""
    with in_town(town_a):
        demand.erase()
    with in_town(town_b):
        DemandFactory(reference=demand.reference)
    agent_b = MembershipFactory(territory=town_b, role=Role.AGENT).user
    url = f"/gestion/echanges/demandes/{demand.reference}/"

    refused = logged_in_client(town_a, agent).post(url, posted(demand), follow=True)

    assert "aucun échange ne peut plus y être noté" in refused.content.decode()
    assert logged_in_client(town_a, agent).get(url).status_code == 302
    with in_town(town_a):
        assert not Exchange.objects.exists()
    assert logged_in_client(town_b, agent_b).post(url, posted(demand)).status_code == 302
    with in_town(town_b):
        assert Exchange.objects.count() == 1
