"""Partners propose the premises they manage from the portal: their own premises only, to
the demands they may see; the team sees who proposed."""

import pytest

from tenant_apps.proposals.models import Proposal
from tests.factories import DemandFactory, PremisesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def managed(town_a, in_town, agency):
    with in_town(town_a):
        return PremisesFactory(address="8 rue Nationale", managing_partner=agency.partner)


def test_a_partner_proposes_its_premises_from_the_portal(
    town_a, in_town, agency, managed, demand, staff, reload
):
    page = agency.client.get(f"/partenaires/propositions/locaux/{managed.pk}/").text
    assert demand.reference in page and "Moreau" not in page

    url = f"/partenaires/propositions/locaux/{managed.pk}/demandes/{demand.reference}/"
    response = agency.client.post(url, follow=True)

    assert "Local proposé à 1 demande" in response.text and "Déjà proposé" in response.text
    with in_town(town_a):
        proposal = Proposal.objects.get()
        assert (proposal.origin, proposal.partner, proposal.proposed_by) == (
            "partner",
            agency.partner,
            agency.user,
        )
        event = demand.events.get(kind="proposed")
        assert "Agence du Beffroi" in event.actor
    assert reload(town_a, demand).status == "proposals"
    assert "Agence du Beffroi" in staff.get(f"/gestion/demandes/{demand.reference}/").text
    again = agency.client.post(url, follow=True)
    assert "déjà été proposé" in again.text


def test_a_partner_proposes_to_its_premises_best_demands(town_a, in_town, agency, managed):
    with in_town(town_a):
        demands = [DemandFactory() for _ in range(3)]
    agency.client.post(
        f"/partenaires/propositions/locaux/{managed.pk}/meilleures-demandes/", {"count": "2"}
    )
    with in_town(town_a):
        made = Proposal.objects.filter(partner=agency.partner)
        assert made.count() == 2 and {p.demand_id for p in made} < {d.pk for d in demands}


def test_the_best_demands_are_those_the_partner_may_see(town_a, in_town, agency, managed):
    with in_town(town_a):
        from tenant_apps.network.models import NetworkMember

        NetworkMember.objects.filter(partner=agency.partner).update(premises_kinds=["office"])
        DemandFactory()  # a shop: outside the partner's settings, never alerted
    response = agency.client.post(
        f"/partenaires/propositions/locaux/{managed.pk}/meilleures-demandes/",
        {"count": "5"},
        follow=True,
    )
    assert "proposé à personne" in response.text
    with in_town(town_a):
        assert not Proposal.objects.exists()


def test_a_partner_proposes_only_its_own_premises_to_demands_it_may_see(
    town_a, in_town, agency, demand, premises, managed
):
    not_its = f"/partenaires/propositions/locaux/{premises.pk}/"
    assert agency.client.get(not_its).status_code == 404
    assert agency.client.post(f"{not_its}demandes/{demand.reference}/").status_code == 404
    assert agency.client.post(f"{not_its}meilleures-demandes/", {"count": "3"}).status_code == 404
    with in_town(town_a):
        closed = DemandFactory(status="installed")
    closed_url = f"/partenaires/propositions/locaux/{managed.pk}/demandes/{closed.reference}/"
    assert agency.client.post(closed_url).status_code == 404
    with in_town(town_a):
        assert not Proposal.objects.exists()


def test_a_partner_of_town_a_proposes_nothing_in_town_b(
    town_a, town_b, in_town, agency, managed, demand
):
    from tests.conftest import logged_in_client

    on_b = logged_in_client(town_b, agency.user)
    with in_town(town_b):
        demand_b = DemandFactory(pk=demand.pk + 1000)
    url = f"/partenaires/propositions/locaux/{managed.pk}/demandes/{demand_b.reference}/"
    assert on_b.post(url).status_code == 302  # not in town B's network: sent to join
    assert on_b.get(f"/partenaires/propositions/locaux/{managed.pk}/").status_code == 302
    with in_town(town_b):
        assert not Proposal.objects.exists()


@pytest.mark.parametrize("count", ["", "abc", "0", "50", "<b>3</b>"])
def test_hostile_counts_from_the_portal_propose_nothing(town_a, in_town, agency, managed, count):
    with in_town(town_a):
        DemandFactory()
    response = agency.client.post(
        f"/partenaires/propositions/locaux/{managed.pk}/meilleures-demandes/",
        {"count": count},
        follow=True,
    )
    assert response.status_code == 200 and "fr-alert--error" in response.text
    assert "<b>3</b>" not in response.text
    with in_town(town_a):
        assert not Proposal.objects.exists()
