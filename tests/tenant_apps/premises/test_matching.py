"""Matching demands and premises: scores and reasons on hand-made cases, both ways, and
the stored matches kept current."""

import pytest

from tenant_apps.premises.matching import (
    KEEP_PER_PREMISES,
    best_demands_for,
    best_premises_for,
    recompute_all,
    refresh_for_premises,
)
from tenant_apps.premises.models import Match
from tests.factories import AreaFactory, DemandFactory, PremisesFactory
from tests.jobs import committing, run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(town_a, in_town):
    with in_town(town_a):
        yield town_a


def only_match(demand):
    matches = best_premises_for(demand)
    assert len(matches) == 1
    return matches[0][1]


def test_a_premises_that_fits_everything_scores_100(town):
    demand = DemandFactory(surface_min=40, surface_max=90, monthly_budget=1200)
    PremisesFactory(surface=60, monthly_rent=1000)

    match = only_match(demand)

    assert match.score == 100
    assert match.reasons == [
        "surface dans la fourchette",
        "loyer dans le budget",
        "tous les quartiers conviennent au porteur",
    ]


def test_a_rent_over_budget_costs_points_and_says_by_how_much(town):
    demand = DemandFactory(monthly_budget=1200)
    PremisesFactory(monthly_rent=1296)

    match = only_match(demand)

    # 8 % over: the price keeps 30 × (1 - 8/30) = 22 of its 30 points.
    assert match.score == 92
    assert "loyer au-dessus du budget de 8 %" in match.reasons


def test_a_slightly_small_premises_is_offered_with_the_gap(town):
    demand = DemandFactory(surface_min=40, surface_max=90)
    PremisesFactory(surface=36)

    match = only_match(demand)

    assert match.score == 85  # 10 % under: 15 of the surface's 30 points
    assert "surface inférieure de 10 % au minimum souhaité" in match.reasons


def test_premises_too_small_of_another_kind_or_let_are_not_offered(town):
    demand = DemandFactory(surface_min=40, surface_max=90)
    PremisesFactory(surface=30)  # 25 % under the minimum
    PremisesFactory(kind="office")
    PremisesFactory(let=True)
    PremisesFactory(monthly_rent=2000)  # 67 % over budget

    assert best_premises_for(demand) == []


def test_areas_shop_window_step_free_access_and_lease_weigh_in(town):
    wanted, other = AreaFactory(), AreaFactory()
    demand = DemandFactory(
        needs_shop_window=True, needs_step_free_access=True, lease_kinds=["commercial"]
    )
    demand.areas.set([wanted])
    good = PremisesFactory(
        area=wanted, has_shop_window=True, step_free_access=True, lease_kind="commercial"
    )
    poor = PremisesFactory(
        area=other, has_shop_window=False, step_free_access=False, lease_kind="short_term"
    )

    matches = {premises.pk: scored for premises, scored in best_premises_for(demand)}

    assert matches[good.pk].score == 100
    assert {"dans un quartier souhaité", "vitrine", "accès de plain-pied"} <= set(
        matches[good.pk].reasons
    )
    assert matches[good.pk].reasons[-1] == "bail envisagé par le porteur"
    assert matches[poor.pk].score == 100 - 20 - 5 - 5 - 10
    assert matches[poor.pk].reasons[2:] == [
        "hors des quartiers souhaités",
        "sans vitrine, alors que le porteur en veut une",
        "sans accès de plain-pied, alors qu’il est demandé",
        "bail que le porteur n’envisage pas",
    ]


def test_a_premises_for_sale_is_scored_against_the_purchase_budget(town):
    demand = DemandFactory(monthly_budget=None, purchase_budget=100_000)
    PremisesFactory(for_sale=True, sale_price=110_000)

    match = only_match(demand)

    assert "prix au-dessus du budget d’achat de 10 %" in match.reasons
    assert match.score == 90


def test_for_a_premises_the_best_demands_come_first(town):
    premises = PremisesFactory(surface=60, monthly_rent=1000)
    exact = DemandFactory(surface_min=50, surface_max=70, monthly_budget=1000)
    tight = DemandFactory(surface_min=50, surface_max=70, monthly_budget=900)
    DemandFactory(status="installed")

    found = best_demands_for(premises)

    assert [demand.pk for demand, _ in found] == [exact.pk, tight.pk]
    assert "loyer au-dessus du budget de 11 %" in found[1][1].reasons


def test_a_new_premises_surfaces_its_demands_once(town):
    demand = DemandFactory()
    premises = PremisesFactory()

    assert refresh_for_premises(premises.pk).new_demands == [demand.pk]
    assert refresh_for_premises(premises.pk).new_demands == []  # already known: nothing new
    assert Match.objects.current().get().score == 100


def test_a_let_premises_loses_its_matches(town):
    DemandFactory()
    premises = PremisesFactory()
    premises.refresh_matches()

    premises.change_state("let")

    assert not Match.objects.filter(premises=premises).exists()


def test_a_demand_that_changes_its_needs_is_matched_again(town):
    premises = PremisesFactory(surface=200)
    demand = DemandFactory(surface_min=40, surface_max=90)
    assert not Match.objects.filter(premises=premises).exists()

    demand.surface_max = 220
    with committing():  # the refresh is a job, queued when the change commits
        demand.save()
    assert not Match.objects.filter(premises=premises).exists()  # not in the request
    run_jobs()

    assert Match.objects.get(premises=premises).demand == demand


def test_the_full_recompute_keeps_when_a_pair_was_first_found(town):
    demand = DemandFactory()
    premises = PremisesFactory()
    assert recompute_all() == 1
    first = Match.objects.get(demand=demand, premises=premises).created_at

    assert recompute_all() == 0
    assert Match.objects.get(demand=demand, premises=premises).created_at == first


def test_each_premises_keeps_only_its_best_demands_stored(town):
    premises = PremisesFactory(surface=60, monthly_rent=1000)
    best = [DemandFactory(monthly_budget=960) for _ in range(KEEP_PER_PREMISES)]  # 96
    weaker = DemandFactory(monthly_budget=900)  # rent 11 % over budget

    recompute_all()

    stored = set(Match.objects.filter(premises=premises).values_list("demand_id", flat=True))
    assert stored == {demand.pk for demand in best}
    assert weaker.pk not in stored
    assert len(best_demands_for(premises, limit=50)) == KEEP_PER_PREMISES + 1  # live: all
    with committing():
        better = DemandFactory(monthly_budget=1000)  # 100: enters, the last of the 96 leaves
    run_jobs()
    assert Match.objects.filter(premises=premises, demand=better).exists()
    assert Match.objects.filter(premises=premises).count() == KEEP_PER_PREMISES


def test_one_premises_refresh_stores_its_best_demands_and_counts_them_all(town):
    premises = PremisesFactory(surface=60, monthly_rent=1000)
    best = [DemandFactory(monthly_budget=960) for _ in range(KEEP_PER_PREMISES)]  # 96
    weaker = DemandFactory(monthly_budget=900)  # rent 11 % over budget

    refreshed = refresh_for_premises(premises.pk)

    assert refreshed.suited == KEEP_PER_PREMISES + 1
    assert sorted(refreshed.new_demands) == sorted(demand.pk for demand in best)
    stored = set(Match.objects.filter(premises=premises).values_list("demand_id", flat=True))
    assert stored == {demand.pk for demand in best}
    assert weaker.pk not in stored
    premises.change_state("let")
    assert refresh_for_premises(premises.pk).suited == 0
    assert not Match.objects.filter(premises=premises).exists()


def test_the_nightly_recompute_restores_each_premises_best_demands(town):
    premises = PremisesFactory(surface=60, monthly_rent=1000)
    best = [DemandFactory(monthly_budget=960) for _ in range(KEEP_PER_PREMISES)]
    next_best = DemandFactory(monthly_budget=900)
    recompute_all()
    assert not Match.objects.filter(premises=premises, demand=next_best).exists()

    closed = best[0]
    closed.status = "closed"
    with committing():  # its refresh drops its pair; nothing ranks the premises again
        closed.save()
    run_jobs()
    assert Match.objects.filter(premises=premises).count() == KEEP_PER_PREMISES - 1

    recompute_all()  # the nightly job (src/boursoloco/cron.py)
    stored = set(Match.objects.filter(premises=premises).values_list("demand_id", flat=True))
    assert stored == {demand.pk for demand in [*best[1:], next_best]}
