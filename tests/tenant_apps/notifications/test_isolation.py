"""Notifications belong to a town: a person in two towns' teams sees, counts, opens and
marks read only this town's on each host; one town's news reach only its own team."""

import re

import pytest

from tenant_apps.demands.enums import EventKind
from tenant_apps.notifications.models import Notification
from tests.conftest import logged_in_client
from tests.factories import DemandFactory, MembershipFactory
from tests.jobs import committing

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(town_a, town_b):
    """An agent of both towns."""
    user = MembershipFactory(territory=town_a, role="agent").user
    MembershipFactory(territory=town_b, role="agent", user=user)
    return user


def create(town, in_town, user, count, label):
    with in_town(town):
        return [
            Notification.objects.create(
                recipient=user,
                kind="assignment",
                text=f"{label} {number}",
                url="/gestion/",
                key=f"{label}:{number}",
            )
            for number in range(count)
        ]


def unread_in_bell(page):
    found = re.search(r"(\d+) notifications? non lues?", page)
    return int(found[1]) if found else 0


def test_each_host_shows_and_counts_only_its_towns_notifications(town_a, town_b, in_town, both):
    create(town_a, in_town, both, 2, "Chez A")
    create(town_b, in_town, both, 5, "Chez B")
    client_a, client_b = logged_in_client(town_a, both), logged_in_client(town_b, both)

    # Twice each, alternating: a count kept for one town is never served to the other.
    for _ in range(2):
        page_a = client_a.get("/gestion/").text
        page_b = client_b.get("/gestion/").text
        assert (unread_in_bell(page_a), unread_in_bell(page_b)) == (2, 5)
    inbox_a = client_a.get("/gestion/notifications/").text
    assert "Chez A 1" in inbox_a and "Chez B" not in inbox_a
    assert "Chez B 4" in client_b.get("/gestion/notifications/").text


def test_marking_all_read_in_one_town_leaves_the_other_towns_unread(town_a, town_b, in_town, both):
    create(town_a, in_town, both, 2, "Chez A")
    create(town_b, in_town, both, 3, "Chez B")

    logged_in_client(town_a, both).post("/gestion/notifications/tout-lire/")

    with in_town(town_a):
        assert Notification.objects.unread().count() == 0
    with in_town(town_b):
        assert Notification.objects.unread().count() == 3
    assert unread_in_bell(logged_in_client(town_b, both).get("/gestion/").text) == 3


def test_another_towns_notification_cannot_be_opened_by_its_id(town_a, town_b, in_town, both):
    create(town_a, in_town, both, 1, "Chez A")
    with in_town(town_b):
        theirs = Notification.objects.create(
            pk=900_001, recipient=both, kind="assignment", text="Chez B", url="/gestion/", key="b"
        )
    client_a = logged_in_client(town_a, both)

    assert client_a.post(f"/gestion/notifications/{theirs.pk}/ouvrir/").status_code == 404
    assert client_a.post(f"/gestion/notifications/{theirs.pk}/lue/").status_code == 404
    with in_town(town_b):
        assert Notification.objects.get().read_at is None


def test_a_towns_news_reach_only_its_own_team(town_a, town_b, in_town, both):
    MembershipFactory(territory=town_a, role="admin")
    only_b = MembershipFactory(territory=town_b, role="admin").user
    with in_town(town_b):
        demand = DemandFactory(status="qualified")
        with committing():
            demand.record(EventKind.STILL_SEARCHING)

    with in_town(town_a):
        assert not Notification.objects.exists()
    with in_town(town_b):
        assert set(Notification.objects.values_list("recipient", flat=True)) == {
            both.pk,
            only_b.pk,
        }
