"""The dashboard's figures on a known data set: counts, funnel and conversion rates,
delay medians and 75th percentiles, tension, partner responsiveness, vacancy."""

import statistics
from datetime import timedelta

import pytest
from django.utils import timezone

from shared_apps.partners.models import Partner
from tenant_apps.demands.models import DemandEvent, Introduction
from tenant_apps.impact.kpis import Period, dashboard
from tenant_apps.network.models import Alert
from tests.factories import AreaFactory, DemandFactory, PremisesFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def demand(days_ago, *, contact_after=None, path=(), **fields):
    """A demand received `days_ago`, contacted after `contact_after` days, that went
    through `path`: [(days after reception, status), ...]."""
    received = timezone.now() - days_ago * DAY
    made = DemandFactory(
        created_at=received,
        first_contact_at=received + contact_after * DAY if contact_after is not None else None,
        status=path[-1][1] if path else "new",
        **fields,
    )
    previous = "new"
    for after, status in path:
        DemandEvent.objects.create(
            demand=made,
            kind="status_changed",
            from_status=previous,
            to_status=status,
            created_at=received + after * DAY,
        )
        previous = status
    return made


@pytest.fixture
def board(town_a, in_town):
    with in_town(town_a):
        centre, station = AreaFactory(name="Centre"), AreaFactory(name="Gare")
        installed = demand(
            50,
            contact_after=2,
            path=[(2, "qualified"), (5, "searching"), (20, "premises_found"), (30, "installed")],
        )
        proposals = demand(40, contact_after=4, path=[(4, "qualified"), (9, "proposals")])
        waiting = demand(30, activity_category="services")
        abandoned = demand(
            20,
            contact_after=1,
            path=[(1, "qualified"), (3, "abandoned")],
            activity_category="health",
        )
        demand(200, contact_after=1, path=[(1, "qualified"), (50, "installed")])  # too old
        proposals.areas.set([centre])
        waiting.areas.set([centre])
        abandoned.areas.set([station])
        PremisesFactory(area=centre)
        PremisesFactory(area=centre, state="let")
        PremisesFactory(area=station)
        PremisesFactory(area=station, state="works")
        let = PremisesFactory(vacant_since=timezone.localdate() - 100 * DAY)
        let.change_state("let")
        partner = Partner.objects.create(name="Agence du Centre", kind="agency")
        sent = timezone.now() - 10 * DAY
        Alert.objects.create(
            partner=partner,
            demand=proposals,
            frequency="immediate",
            sent_at=sent,
            answer="maybe",
            answered_at=sent + timedelta(hours=5),
        )
        Alert.objects.create(partner=partner, demand=waiting, frequency="immediate", sent_at=sent)
        Introduction.objects.create(demand=installed, partner=partner)
        today = timezone.localdate()
        yield dashboard(Period(today - 89 * DAY, today))


def figures(rows):
    return {row.label: row.value for row in rows}


def test_demands_are_counted_in_the_period_by_category_and_month(board):
    assert board.total == 4
    assert sum(row.value for row in board.per_month) == 4
    assert len(board.per_month) in (3, 4)  # the months the 90 days touch
    assert figures(board.by_category)["Alimentaire"] == 2
    assert figures(board.by_category)["Services"] == 1
    assert figures(board.by_category)["Santé"] == 1
    assert figures(board.by_area) == {"Centre": 2, "Gare": 1, "Tous quartiers (aucun choisi)": 1}
    assert figures(board.by_status)["Abandonnée"] == 1


def test_the_funnel_counts_each_step_reached_with_conversion_rates(board):
    assert [(row.label, row.value) for row in board.funnel] == [
        ("Nouvelle", 4),
        ("Qualifiée", 3),
        ("En recherche", 2),  # the demand that went straight to proposals passed it
        ("Proposition(s)", 2),
        ("Visite", 1),  # the installed demand passed it too
        ("Local trouvé", 1),
        ("Installé", 1),
    ]
    assert [row.extra["from_previous"] for row in board.funnel] == [
        None,
        75.0,
        66.7,
        100.0,
        50.0,
        100.0,
        100.0,
    ]
    assert board.funnel[-1].extra["from_first"] == 25.0


def test_delays_give_median_and_75th_percentile_in_days(board):
    # First contact after 2, 4 and 1 days: median 2; 75th percentile 2 + 0.5 × (4 - 2).
    assert (board.first_contact.count, board.first_contact.median, board.first_contact.p75) == (
        3,
        2.0,
        3.0,
    )
    assert (board.installation.count, board.installation.median) == (1, 30.0)
    # The trend: per month of reception, the median of that month's delays.
    expected = {}
    for days_ago, delay in ((50, 2), (40, 4), (20, 1)):
        received = timezone.localdate(timezone.now() - days_ago * DAY).replace(day=1)
        expected.setdefault(received, []).append(delay)
    assert {row.extra["month"]: row.value for row in board.trend if row.value is not None} == {
        month: statistics.median(delays) for month, delays in expected.items()
    }
    assert [row.extra["installation"] for row in board.trend if row.extra["installation"]] == [30.0]


def test_tension_divides_open_demands_by_available_premises(board):
    by_area = {
        row.label: (row.extra["demands"], row.extra["premises"], row.value)
        for row in board.tension_by_area
    }
    assert by_area == {"Centre": (2, 1, 2.0), "Gare": (0, 2, 0.0)}
    shops = next(row for row in board.tension_by_kind if row.label == "Boutique")
    assert (shops.extra["demands"], shops.extra["premises"], shops.value) == (2, 3, 0.7)
    offices = next(row for row in board.tension_by_kind if row.label == "Bureau")
    assert offices.value is None  # no office available: no ratio


def test_partner_responsiveness_comes_from_alerts_and_introductions(board):
    (row,) = board.responsiveness
    assert row.label == "Agence du Centre"
    assert row.value == 50.0
    assert row.extra == {
        "alerts": 2,
        "answered": 1,
        "median_hours": 5.0,
        "maybe": 1,
        "introductions": 1,
    }


def test_vacancy_of_premises_let_in_the_period(board):
    assert (board.vacancy.count, board.vacancy.median) == (1, 100.0)
    assert figures(board.premises_by_state)["Loué"] == 2
