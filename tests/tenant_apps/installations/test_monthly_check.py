"""The monthly check of each installed business in the directory: states that change, an
outage or a 429 that only delays, every town in turn."""

from datetime import date, timedelta

import django_rq
import pytest
from django.utils import timezone
from rq import SimpleWorker

from boursoloco import cron  # noqa: F401 — importing it registers the periodic jobs
from tenant_apps.installations.enums import BusinessState
from tenant_apps.installations.models import CHECK_EVERY_DAYS, Business
from tenant_apps.installations.tasks import check_businesses
from tenants.jobs import for_each_town
from tests.factories import DemandFactory
from tests.tenant_apps.installations.conftest import (
    ACTIVE_SIRET,
    CLOSED_SIRET,
    OTHER_SIRET,
    UNKNOWN_SIRET,
    installed,
)

pytestmark = pytest.mark.django_db


def business(siret, *, checked_days_ago=None, **fields):
    now = timezone.now()
    return Business.objects.create(
        demand=installed(DemandFactory()),
        siret=siret,
        name=f"Entreprise {siret}",
        opened_on=date(2025, 3, 1),
        checked_at=None if checked_days_ago is None else now - timedelta(days=checked_days_ago),
        **fields,
    )


def test_the_check_takes_the_directorys_state_and_closing_date(town_a, in_town, directory):
    with in_town(town_a):
        still_open = business(ACTIVE_SIRET)
        closing = business(CLOSED_SIRET, checked_days_ago=CHECK_EVERY_DAYS + 1)

        run = check_businesses()

        still_open.refresh_from_db(), closing.refresh_from_db()
    assert (run.checked, run.closed, run.failed) == (2, 1, 0)
    assert still_open.state == BusinessState.ACTIVE and still_open.closed_on is None
    assert closing.state == BusinessState.CLOSED and closing.closed_on == date(2026, 9, 30)
    assert closing.checked_at > timezone.now() - timedelta(minutes=1)
    assert still_open.last_error == "" and closing.last_error == ""


def test_a_business_checked_this_month_or_closed_is_not_asked_again(town_a, in_town, directory):
    with in_town(town_a):
        business(ACTIVE_SIRET, checked_days_ago=CHECK_EVERY_DAYS - 1)
        business(
            CLOSED_SIRET,
            checked_days_ago=90,
            state=BusinessState.CLOSED,
            closed_on=date(2026, 1, 5),
        )

        check_businesses()

    assert directory.requests == []


def test_running_twice_asks_once(town_a, in_town, directory):
    with in_town(town_a):
        business(ACTIVE_SIRET)

        check_businesses()
        check_businesses()

    assert directory.asked == [ACTIVE_SIRET]


def test_an_unknown_siret_keeps_the_last_known_state_and_says_why(town_a, in_town, directory):
    with in_town(town_a):
        lost = business(UNKNOWN_SIRET)

        check_businesses()

        lost.refresh_from_db()
    assert lost.state == BusinessState.ACTIVE
    assert lost.last_error == "Le répertoire ne connaît pas ce SIRET."
    assert lost.checked_at is not None  # asked and answered: next time next month


@pytest.mark.parametrize(
    ("failure", "reason"),
    [("429", "demande de ralentir"), ("500", "erreur (500)"), ("slow", "ne répond pas")],
)
def test_an_outage_only_delays_keeping_the_last_known_state(
    town_a, in_town, directory, failure, reason
):
    with in_town(town_a):
        first = business(CLOSED_SIRET)
        second = business(OTHER_SIRET)
        directory.failure = failure

        failed = check_businesses()
        first.refresh_from_db()
        # The API is back the next day.
        directory.failure = ""
        next_day = check_businesses()

        second.refresh_from_db()
        after = Business.objects.get(pk=first.pk)
    # The run stopped at the first failure instead of hammering the API; the next one
    # asked about the business that had failed last.
    assert (failed.checked, failed.failed) == (0, 1)
    assert directory.asked == [CLOSED_SIRET, OTHER_SIRET, CLOSED_SIRET]
    assert first.state == BusinessState.ACTIVE and first.checked_at is None
    assert reason in first.last_error and first.last_error_at is not None
    assert next_day.checked == 2
    assert after.state == BusinessState.CLOSED and after.last_error == ""
    assert second.checked_at is not None


def test_a_siret_the_directory_keeps_failing_on_does_not_hold_the_others_back(
    town_a, in_town, directory
):
    directory.answers[CLOSED_SIRET] = "500"
    with in_town(town_a):
        stuck = business(CLOSED_SIRET)
        others = [business(ACTIVE_SIRET), business(OTHER_SIRET)]

        first = check_businesses()
        second = check_businesses()

        stuck.refresh_from_db()
        checked = Business.objects.filter(pk__in=[b.pk for b in others], checked_at__isnull=False)
        assert checked.count() == 2
    assert (first.checked, first.failed) == (0, 1)
    assert (second.checked, second.failed) == (2, 1)
    assert directory.asked == [CLOSED_SIRET, ACTIVE_SIRET, OTHER_SIRET, CLOSED_SIRET]
    assert stuck.checked_at is None and "erreur (500)" in stuck.last_error


def test_the_scheduler_checks_every_town_in_its_own_schema(town_a, town_b, in_town, directory):
    with in_town(town_a):
        in_a = business(CLOSED_SIRET)
    with in_town(town_b):
        in_b = business(ACTIVE_SIRET)
        also_b = business(OTHER_SIRET)
    directory.answers[OTHER_SIRET] = "closed"

    towns = for_each_town("tenant_apps.installations.tasks.check_businesses")
    queue = django_rq.get_queue("default")
    SimpleWorker([queue], connection=queue.connection).work(burst=True)

    assert towns >= 2
    with in_town(town_a):
        assert Business.objects.get(pk=in_a.pk).state == BusinessState.CLOSED
        assert Business.objects.count() == 1
    with in_town(town_b):
        assert Business.objects.get(pk=in_b.pk).state == BusinessState.ACTIVE
        assert Business.objects.get(pk=also_b.pk).state == BusinessState.CLOSED
    assert sorted(directory.asked) == sorted([CLOSED_SIRET, ACTIVE_SIRET, OTHER_SIRET])


def test_the_check_is_scheduled_every_day_in_each_town():
    from rq import cron as rq_cron

    entries = [entry for entry in rq_cron._job_data_registry]
    daily = [
        entry
        for entry in entries
        if "tenant_apps.installations.tasks.check_businesses" in entry["args"]
    ]
    assert len(daily) == 1
    assert daily[0]["args"][0] == "tenants.jobs.for_each_town"
    assert daily[0]["cron"] == "10 5 * * *"
