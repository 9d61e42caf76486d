"""The dashboard's proposal figures on a known data set: time to first proposal, proposals
per demand, answer rate, and refusals by premises kind, size band and price band; a second
town's proposals never count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenant_apps.impact.kpis import Period, dashboard
from tenant_apps.proposals.models import Proposal
from tests.conftest import logged_in_client
from tests.factories import DemandFactory, MembershipFactory, PremisesFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def propose(demand, after, *, origin="team", answer="", reason="", **premises):
    """A proposal made `after` days from the demand's reception, of a new premises."""
    made = demand.created_at + after * DAY
    return Proposal.objects.create(
        demand=demand,
        premises=PremisesFactory(**premises),
        origin=origin,
        created_at=made,
        answer=answer,
        reason=reason,
        answered_at=made + DAY if answer else None,
    )


def received(days_ago):
    return DemandFactory(created_at=timezone.now() - days_ago * DAY)


def proposals_in(town, in_town):
    with in_town(town):
        first = received(30)
        propose(first, 1, origin="interest", answer="interested")  # the porteur's own: no
        propose(first, 2, answer="declined", reason="price", surface=40, monthly_rent=700)
        propose(first, 6, origin="partner", answer="interested", surface=120, monthly_rent=2000)
        second = received(20)
        propose(
            second,
            4,
            answer="declined",
            reason="size",
            kind="office",
            surface=60,
            monthly_rent=None,
            sale_price=150_000,
        )
        third = received(10)
        propose(third, 8)  # still pending
        propose(
            third,
            9,
            answer="declined",
            reason="area",
            kind="restaurant",
            surface=250,
            monthly_rent=3500,
        )
        received(15)  # no proposal yet
        old = received(200)  # received before the period, proposed within it
        propose(old, 195, answer="declined", reason="price", surface=60, monthly_rent=1000)
        propose(old, 20)  # proposed before the period


@pytest.fixture
def board(town_a, town_b, in_town):
    proposals_in(town_a, in_town)
    # Town B has proposals of its own, which town A's figures never include.
    with in_town(town_b):
        demand = received(5)
        for after in (1, 2, 3):
            propose(demand, after, answer="declined", reason="state", surface=500)
    today = timezone.localdate()
    with in_town(town_a):
        return dashboard(Period(today - 89 * DAY, today))


def refusals(rows):
    return {row.label: (row.value, dict(row.extra["reasons"])) for row in rows if row.value}


def test_time_to_first_proposal_ignores_the_porteurs_own_interest(board):
    # First proposals after 2, 4 and 8 days: median 4, 75th percentile 4 + 0.5 × (8 - 4).
    assert (board.first_proposal.count, board.first_proposal.median, board.first_proposal.p75) == (
        3,
        4.0,
        6.0,
    )


def test_proposals_per_demand_is_the_mean_over_demands_that_got_one(board):
    # 2, 1 and 2 proposals; the demand with none and the older one do not count.
    assert board.proposals.demands_proposed == 3
    assert board.proposals.per_demand == 1.7


def test_the_answer_rate_counts_the_proposals_made_in_the_period(board):
    figures = board.proposals
    assert (figures.proposed, figures.answered, figures.interested, figures.declined) == (
        6,
        5,
        1,
        4,
    )
    assert figures.answer_rate == 83.3


def test_refusals_are_shown_by_kind_size_and_price_with_their_reasons(board):
    assert refusals(board.refusals_by_kind) == {
        "Boutique": (
            2,
            {
                "Le prix": 2,
                "La surface": 0,
                "Le quartier": 0,
                "L’état du local": 0,
                "Autre raison": 0,
            },
        ),
        "Bureau": (
            1,
            {
                "Le prix": 0,
                "La surface": 1,
                "Le quartier": 0,
                "L’état du local": 0,
                "Autre raison": 0,
            },
        ),
        "Restaurant avec extraction": (
            1,
            {
                "Le prix": 0,
                "La surface": 0,
                "Le quartier": 1,
                "L’état du local": 0,
                "Autre raison": 0,
            },
        ),
    }
    assert {row.label: row.value for row in board.refusals_by_size} == {
        "Moins de 50 m²": 1,
        "50 à 99 m²": 2,
        "100 à 199 m²": 0,
        "200 m² et plus": 1,
    }
    assert {row.label: row.value for row in board.refusals_by_price} == {
        "Loyer de moins de 800 €": 1,
        "Loyer de 800 à 1 499 €": 1,
        "Loyer de 1 500 à 2 999 €": 0,
        "Loyer de 3 000 € et plus": 1,
        "À la vente": 1,
        "Prix non renseigné": 0,
    }


def test_another_towns_proposals_are_counted_only_there(board, town_b, in_town):
    today = timezone.localdate()
    with in_town(town_b):
        other = dashboard(Period(today - 89 * DAY, today))
    assert (other.proposals.proposed, other.proposals.declined) == (3, 3)
    assert other.first_proposal.median == 1.0
    assert {row.label: row.value for row in other.refusals_by_size}["200 m² et plus"] == 3


def test_the_dashboard_shows_the_proposal_figures_with_their_tables(town_a, in_town):
    proposals_in(town_a, in_town)
    client = logged_in_client(town_a, MembershipFactory(territory=town_a, role="read_only").user)

    text = client.get("/gestion/tableau-de-bord/").text

    assert "<caption>Propositions de locaux sur la période</caption>" in text
    assert "<caption>Propositions refusées par type de local et par raison</caption>" in text
    assert (
        '<th scope="row">Boutique</th><td data-label="Refus">2</td><td data-label="Le prix">2</td>'
        in text
    )
    # Over the last 12 months the older demand counts too: first proposals after 2, 4, 8, 20 days.
    assert 'la première proposition</th><td data-label="Valeur">6,0 j</td>' in text
    assert text.count("<svg") == text.count("les chiffres sont dans le tableau qui l’accompagne")
