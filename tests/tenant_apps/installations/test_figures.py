"""Survival at 12 and 24 months and the time from demand to opening, on crafted dates in
the town's time zone (Europe/Paris); the dashboard shows them with their definition."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tenant_apps.installations.enums import BusinessState
from tenant_apps.installations.figures import business_figures
from tenant_apps.installations.models import Business
from tests.conftest import logged_in_client
from tests.factories import DemandFactory, MembershipFactory
from tests.tenant_apps.installations.conftest import installed

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 12, 3)
sirets = iter(f"{n:014d}" for n in range(10_000, 99_999))


def business(opened_on, closed_on=None, *, received=None):
    received = received or datetime(2020, 1, 1, 12, tzinfo=PARIS)
    return Business.objects.create(
        demand=installed(DemandFactory(created_at=received)),
        siret=next(sirets),
        name="Boutique",
        opened_on=opened_on,
        state=BusinessState.CLOSED if closed_on else BusinessState.ACTIVE,
        closed_on=closed_on,
    )


def test_survival_counts_businesses_whose_anniversary_has_come(town_a, in_town):
    with in_town(town_a):
        business(date(2025, 12, 3))  # 12 months today: counted, open
        business(date(2025, 12, 4))  # 12 months tomorrow: not yet counted
        business(date(2025, 1, 31), closed_on=date(2026, 1, 31))  # closed on its anniversary
        business(date(2025, 1, 31), closed_on=date(2026, 2, 1))  # closed the day after
        # 29 February: its anniversaries are 28 February 2025 and 2026.
        business(date(2024, 2, 29), closed_on=date(2025, 3, 1))
        business(date(2024, 12, 3), closed_on=date(2026, 12, 2))  # 24 months today, closed
        business(date(2024, 12, 1))  # open for two years
        business(date(2026, 12, 20))  # opening soon: in no figure but the count

        figures = business_figures(today=TODAY)

    twelve, twenty_four = figures.survival_at(12), figures.survival_at(24)
    assert (figures.recorded, figures.active, figures.closed) == (8, 4, 4)
    assert (twelve.eligible, twelve.survived) == (6, 5)
    assert twelve.rate == 83.3
    assert (twenty_four.eligible, twenty_four.survived) == (3, 1)
    assert twenty_four.rate == 33.3


def test_no_eligible_business_gives_no_rate_rather_than_zero(town_a, in_town):
    with in_town(town_a):
        business(date(2026, 6, 1))

        figures = business_figures(today=TODAY)

    assert figures.survival_at(12).eligible == 0 and figures.survival_at(12).rate is None


def test_anniversaries_are_counted_in_paris_days(town_a, in_town, monkeypatch):
    with in_town(town_a):
        business(date(2026, 1, 1))
        # 31 December 2026, 23:30 UTC: already 1 January 2027 in Paris.
        new_year = datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
        monkeypatch.setattr(timezone, "now", lambda: new_year)

        figures = business_figures()

    assert figures.survival_at(12).eligible == 1


def test_the_median_time_to_opening_counts_paris_days_from_reception(town_a, in_town):
    utc = ZoneInfo("UTC")
    with in_town(town_a):
        # Received 31 March 23:30 UTC = 1 April 01:30 in Paris: 10 days, not 11.
        business(date(2026, 4, 11), received=datetime(2026, 3, 31, 23, 30, tzinfo=utc))
        business(date(2026, 5, 1), received=datetime(2026, 4, 1, 10, tzinfo=PARIS))  # 30
        business(date(2026, 9, 1), received=datetime(2026, 3, 5, 10, tzinfo=PARIS))  # 180
        business(date(2026, 8, 31), received=datetime(2026, 8, 1, 10, tzinfo=PARIS))  # 30
        business(date(2027, 1, 15), received=datetime(2026, 11, 1, 10, tzinfo=PARIS))  # later

        figures = business_figures(today=TODAY)

    assert figures.opening_delays == [10, 30, 30, 180]
    assert figures.median_days_to_opening == 30.0


def test_an_even_count_takes_the_mean_of_the_middle_two(town_a, in_town):
    received = datetime(2026, 1, 1, 10, tzinfo=PARIS)
    with in_town(town_a):
        for days in (10, 20, 40, 100):
            business(date(2026, 1, 1) + timedelta(days=days), received=received)

        figures = business_figures(today=TODAY)

    assert figures.median_days_to_opening == 30.0


def test_each_town_counts_only_its_own_businesses(town_a, town_b, in_town):
    with in_town(town_a):
        business(date(2024, 1, 10), closed_on=date(2024, 6, 1))
        business(date(2024, 1, 10))
    with in_town(town_b):
        business(date(2025, 6, 1))

        in_b = business_figures(today=TODAY)
    with in_town(town_a):
        in_a = business_figures(today=TODAY)

    assert (in_a.recorded, in_a.survival_at(24).eligible, in_a.survival_at(24).rate) == (
        2,
        2,
        50.0,
    )
    assert (in_b.recorded, in_b.survival_at(12).rate, in_b.survival_at(24).eligible) == (
        1,
        100.0,
        0,
    )


def test_the_dashboard_shows_the_figures_and_defines_them(town_a, town_b, in_town):
    with in_town(town_a):
        business(date(2024, 1, 10), closed_on=date(2024, 6, 1))
        business(date(2024, 1, 10))
        business(date(2025, 1, 10))
    with in_town(town_b):
        for _ in range(5):
            business(date(2024, 1, 10), closed_on=date(2024, 2, 1))
    staff = logged_in_client(town_a, MembershipFactory(territory=town_a).user)

    page = staff.get("/gestion/tableau-de-bord/")

    assert page.status_code == 200
    board = page.context["board"].businesses
    assert (board.recorded, board.active) == (3, 2)
    assert "Les entreprises installées" in page.text
    assert '<p class="kpi">3</p><p>entreprises enregistrées, dont 2 en activité' in page.text
    # Survival at 24 months: 1 of 2 (B's five closed businesses are B's).
    assert '<td data-label="Encore ouvertes">1</td><td data-label="Taux">50,0 %</td>' in page.text
    assert "parmi les entreprises ouvertes depuis 12 mois au moins" in page.text
    assert "<caption>Survie des entreprises installées" in page.text
