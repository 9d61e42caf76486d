"""The dashboard counts the exchanges of its period by kind, and per installed demand."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from shared_apps.accounts.enums import Role
from tenant_apps.exchanges.templatetags.exchanges import figures
from tenant_apps.impact.kpis import Period
from tests.conftest import logged_in_client
from tests.factories import DemandFactory, ExchangeFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def at(day, hour=12):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def test_exchanges_are_counted_by_kind_within_the_period(town_a, in_town):
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    with in_town(town_a):
        installed = DemandFactory(status="installed", created_at=at(date(2026, 3, 2)))
        DemandFactory(status="installed", created_at=at(date(2026, 3, 3)))  # no exchange
        for kind in ["call", "call", "visit"]:
            ExchangeFactory(demand=installed, kind=kind, happened_at=at(date(2026, 3, 10)))
        # Paris midnight: 31 March 23:30 is in, 1 April 00:30 is out.
        ExchangeFactory(kind="meeting", happened_at=at(date(2026, 3, 31), 23).replace(minute=30))
        ExchangeFactory(kind="email", happened_at=at(date(2026, 4, 1), 0).replace(minute=30))
        found = figures(period)
    assert dict(found["by_kind"]) == {"Appel": 2, "Rendez-vous": 1, "Visite": 1, "Courriel": 0}
    assert found["total"] == 4
    assert found["installed_demands"] == 2
    assert found["per_installed"] == 1.5


def test_the_dashboard_shows_them_for_its_town_only(town_a, town_b, in_town):
    viewer = MembershipFactory(territory=town_a, role=Role.READ_ONLY).user
    with in_town(town_a):
        ExchangeFactory(kind="visit")
    with in_town(town_b):
        ExchangeFactory(kind="call")
        ExchangeFactory(kind="call")
    page = logged_in_client(town_a, viewer).get("/gestion/tableau-de-bord/").content.decode()
    assert "Échanges avec les porteurs" in page
    assert "1 échange noté sur la période" in page
    assert '<th scope="row">Visite</th><td data-label="Échanges">1</td>' in page
    assert '<th scope="row">Appel</th><td data-label="Échanges">0</td>' in page
