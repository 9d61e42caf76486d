"""The national roll-up: each town writes its businesses' figures into the public table;
the console adds them up (survivors over eligible businesses of all towns, one median over
every business — not a median of medians)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import django_rq
import pytest
from django.utils import timezone
from rq import SimpleWorker

from shared_apps.national.models import TownStats
from tenant_apps.installations.enums import BusinessState
from tenant_apps.installations.models import Business
from tenants.jobs import for_each_town
from tests.factories import DemandFactory
from tests.shared_apps.test_console import anct  # noqa: F401 — the signed-in ANCT fixture
from tests.tenant_apps.installations.conftest import installed

pytestmark = pytest.mark.django_db
sirets = iter(f"{n:014d}" for n in range(100_000, 999_999))


def business(opened_on, *, delay_days, closed_on=None):
    received = datetime.combine(opened_on - timedelta(days=delay_days), datetime.min.time())
    return Business.objects.create(
        demand=installed(
            DemandFactory(created_at=received.replace(hour=12, tzinfo=ZoneInfo("Europe/Paris")))
        ),
        siret=next(sirets),
        name="Boutique",
        opened_on=opened_on,
        state=BusinessState.CLOSED if closed_on else BusinessState.ACTIVE,
        closed_on=closed_on,
    )


def roll_up():
    for_each_town("shared_apps.national.tasks.roll_up_town")
    queue = django_rq.get_queue("default")
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_the_rollup_sums_the_towns_businesses(town_a, town_b, in_town):
    today = timezone.localdate()
    three_years_ago = today - timedelta(days=3 * 365)
    with in_town(town_a):
        business(three_years_ago, delay_days=10)
        business(three_years_ago, delay_days=20, closed_on=three_years_ago + timedelta(days=500))
        business(today - timedelta(days=400), delay_days=30)
    with in_town(town_b):
        for delay in (200, 210, 220):
            business(three_years_ago, delay_days=delay, closed_on=three_years_ago + timedelta(60))

    roll_up()

    a, b = TownStats.objects.get(territory=town_a), TownStats.objects.get(territory=town_b)
    assert (a.businesses_recorded, a.businesses_active) == (3, 2)
    assert (a.survival_12_eligible, a.survival_12_survived) == (3, 3)
    assert (a.survival_24_eligible, a.survival_24_survived) == (2, 1)
    assert sorted(a.opening_delays) == [10, 20, 30] and a.median_days_to_opening == 20
    assert (b.businesses_recorded, b.survival_12_survived, b.survival_24_eligible) == (3, 0, 3)
    totals = TownStats.objects.filter(territory__in=[town_a, town_b]).business_totals()
    assert (totals["recorded"], totals["active"]) == (6, 2)
    # 12 months: 3 survivors of 6 (not the mean of 100 % and 0 %, which is also 50 %);
    # 24 months: 1 of 5 = 20 %, where the mean of the towns' rates would say 25 %.
    assert totals["survival_12"] == 50.0 and totals["survival_24"] == 20.0
    # Every business's delay: 10, 20, 30, 200, 210, 220 → 115.
    assert totals["median_days_to_opening"] == 115.0


def test_the_national_median_is_taken_over_every_business(town_a, town_b, in_town):
    today = timezone.localdate()
    with in_town(town_a):
        for delay in (10, 20, 30, 40, 50):
            business(today - timedelta(days=1), delay_days=delay)
    with in_town(town_b):
        business(today - timedelta(days=1), delay_days=300)

    roll_up()

    totals = TownStats.objects.filter(territory__in=[town_a, town_b]).business_totals()
    # All six: 10, 20, 30, 40, 50, 300 → 35; the towns' medians (30 and 300) → 165.
    assert totals["median_days_to_opening"] == 35.0


def test_the_console_shows_the_national_and_per_town_figures(town_a, town_b, in_town, anct):  # noqa: F811
    today = timezone.localdate()
    two_years_ago = today - timedelta(days=800)
    with in_town(town_a):
        business(two_years_ago, delay_days=40)
        business(two_years_ago, delay_days=60, closed_on=two_years_ago + timedelta(days=30))
    with in_town(town_b):
        business(two_years_ago, delay_days=50)
    roll_up()

    page = anct.get("/console/")

    assert page.status_code == 200
    assert "Entreprises installées" in page.text
    assert "survie à 12 mois" in page.text
    section = page.text[page.text.index('id="entreprises-installees"') :]
    assert "Ville A" in section and "Ville B" in section
    assert "50,0 % <span" in section  # town A: 1 of 2
    assert "100,0 % <span" in section  # town B: 1 of 1
    assert "délai médian de la demande à l’ouverture" in section
