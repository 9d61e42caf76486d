"""The calendar feed: a secret address per person and town, shown once, regenerated or
disabled after a confirmation; served without a session as all-day events that the
`icalendar` library reads back; worthless once replaced, on another town, or for someone
who left the team."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import Membership
from tenant_apps.tasks.models import CalendarFeed, token_hash
from tests.conftest import client_for, logged_in_client
from tests.factories import DemandFactory, MembershipFactory, PremisesFactory, TaskFactory

pytestmark = pytest.mark.django_db
FEED = re.compile(r'value="(http://[^"]+/gestion/taches/agenda/([A-Za-z0-9_-]+)\.ics)"')


@pytest.fixture
def agent(town_a):
    return MembershipFactory(territory=town_a, role=Role.AGENT).user


def new_address(client, **data):
    """POST « créer / régénérer »; the address shown once, and its token."""
    page = client.post("/gestion/taches/agenda/lien/", data).content.decode()
    url, token = FEED.search(page).groups()
    return url, token


def events_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return calendar, list(calendar.walk("VEVENT"))


def test_a_person_subscribes_to_their_open_tasks(town_a, in_town, agent):
    colleague = MembershipFactory(territory=town_a, role=Role.AGENT).user
    due = timezone.localdate() + timedelta(days=2)
    with in_town(town_a):
        demand = DemandFactory(reference="ICS-2026-00001", activity="Fromagerie")
        on_demand = TaskFactory(
            demand=demand, title="Appeler le porteur", assignee=agent, due_on=due
        )
        premises = PremisesFactory(address="3 place du Marché")
        on_premises = TaskFactory(
            demand=None,
            premises=premises,
            title="Relancer le bailleur",
            assignee=agent,
            due_on=date(2026, 12, 31),
        )
        TaskFactory(title="Celle d’un collègue", assignee=colleague)
        TaskFactory(title="Déjà faite", assignee=agent, done_at=timezone.now())
    client = logged_in_client(town_a, agent)
    assert "pas encore d’adresse" in client.get("/gestion/taches/agenda/").content.decode()
    url, token = new_address(client)
    assert url.startswith(f"http://{town_a.host}")
    with in_town(town_a):
        assert CalendarFeed.objects.get(user=agent).token_hash == token_hash(token)
        assert not CalendarFeed.objects.filter(token_hash=token).exists()  # never in clear
    # The page shows it once only.
    assert token not in client.get("/gestion/taches/agenda/").content.decode()

    calendar, events = events_of(client_for(town_a).get(f"/gestion/taches/agenda/{token}.ics"))
    assert str(calendar["X-WR-CALNAME"]) == "Tâches — Ville A"
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["METHOD"]) == "PUBLISH"
    by_summary = {str(event["SUMMARY"]): event for event in events}
    assert set(by_summary) == {"Appeler le porteur", "Relancer le bailleur"}
    call = by_summary["Appeler le porteur"]
    assert call.decoded("DTSTART") == due  # a date: an all-day event
    assert call["DTSTART"].params.get("VALUE") == "DATE"
    assert call.decoded("DTEND") == due + timedelta(days=1)
    assert str(call["UID"]) == f"tache-{on_demand.pk}@{town_a.schema_name}.localhost"
    assert str(call["URL"]) == town_a.url("/gestion/demandes/ICS-2026-00001/")
    assert "ICS-2026-00001 · Fromagerie" in str(call["DESCRIPTION"])
    bailleur = by_summary["Relancer le bailleur"]
    assert bailleur.decoded("DTSTART") == date(2026, 12, 31)
    assert str(bailleur["URL"]) == town_a.url(f"/gestion/locaux/{premises.pk}/")
    assert str(bailleur["UID"]) == f"tache-{on_premises.pk}@{town_a.schema_name}.localhost"


def test_uids_are_stable_and_a_changed_date_moves_the_event(town_a, in_town, agent):
    with in_town(town_a):
        task = TaskFactory(assignee=agent)
    token = new_address(logged_in_client(town_a, agent))[1]
    feed = f"/gestion/taches/agenda/{token}.ics"
    _, (before,) = events_of(client_for(town_a).get(feed))
    with in_town(town_a):
        task.due_on = date(2027, 1, 15)
        task.save()
    _, (after,) = events_of(client_for(town_a).get(feed))
    assert str(before["UID"]) == str(after["UID"])
    assert after.decoded("DTSTART") == date(2027, 1, 15)


def test_regenerating_asks_first_then_revokes_the_old_address(town_a, in_town, agent):
    client = logged_in_client(town_a, agent)
    old = new_address(client)[1]
    confirm = client.post("/gestion/taches/agenda/lien/")
    assert 'name="confirmation" value="oui"' in confirm.content.decode()
    assert client_for(town_a).get(f"/gestion/taches/agenda/{old}.ics").status_code == 200
    new = new_address(client, confirmation="oui")[1]
    assert new != old
    assert client_for(town_a).get(f"/gestion/taches/agenda/{old}.ics").status_code == 404
    assert client_for(town_a).get(f"/gestion/taches/agenda/{new}.ics").status_code == 200
    # Disabling, after its own confirmation.
    assert "confirmation" in client.post("/gestion/taches/agenda/revoquer/").content.decode()
    assert client_for(town_a).get(f"/gestion/taches/agenda/{new}.ics").status_code == 200
    client.post("/gestion/taches/agenda/revoquer/", {"confirmation": "oui"})
    assert client_for(town_a).get(f"/gestion/taches/agenda/{new}.ics").status_code == 404


def test_a_feed_is_worth_nothing_on_another_town(town_a, town_b, in_town, agent):
    MembershipFactory(territory=town_b, user=agent, role=Role.AGENT)
    with in_town(town_b):
        TaskFactory(title="Tâche de B", assignee=agent)
    with in_town(town_a):
        TaskFactory(title="Tâche de A", assignee=agent)
    token_a = new_address(logged_in_client(town_a, agent))[1]
    token_b = new_address(logged_in_client(town_b, agent))[1]
    assert client_for(town_b).get(f"/gestion/taches/agenda/{token_a}.ics").status_code == 404
    _, events = events_of(client_for(town_b).get(f"/gestion/taches/agenda/{token_b}.ics"))
    assert [str(e["SUMMARY"]) for e in events] == ["Tâche de B"]
    _, events = events_of(client_for(town_a).get(f"/gestion/taches/agenda/{token_a}.ics"))
    assert [str(e["SUMMARY"]) for e in events] == ["Tâche de A"]


def test_unknown_tokens_and_former_members_get_nothing(town_a, in_town, agent):
    token = new_address(logged_in_client(town_a, agent))[1]
    anonymous = client_for(town_a)
    assert anonymous.get("/gestion/taches/agenda/inconnu.ics").status_code == 404
    assert anonymous.get(f"/gestion/taches/agenda/{token[:-1]}.ics").status_code == 404
    Membership.objects.filter(user=agent, territory=town_a).update(is_active=False)
    assert anonymous.get(f"/gestion/taches/agenda/{token}.ics").status_code == 404


def test_read_only_staff_have_their_feed_too(town_a, in_town):
    viewer = MembershipFactory(territory=town_a, role=Role.READ_ONLY).user
    with in_town(town_a):
        TaskFactory(title="Pour la lectrice", assignee=viewer)
    token = new_address(logged_in_client(town_a, viewer))[1]
    _, events = events_of(client_for(town_a).get(f"/gestion/taches/agenda/{token}.ics"))
    assert [str(e["SUMMARY"]) for e in events] == ["Pour la lectrice"]


def test_the_address_page_needs_a_session(town_a):
    response = client_for(town_a).get("/gestion/taches/agenda/")
    assert response.status_code == 302 and "/compte/login/" in response["Location"]
    assert client_for(town_a).post("/gestion/taches/agenda/lien/").status_code == 302


def test_the_anct_consulting_the_town_creates_no_calendar_address(town_a, in_town):
    from shared_apps.accounts.perms import VIEW_AS_KEY
    from tests.factories import UserFactory

    client = logged_in_client(town_a, UserFactory(anct=True))
    session = client.session
    session[VIEW_AS_KEY] = town_a.schema_name
    session.save()

    assert client.get("/gestion/taches/agenda/").status_code == 200
    assert client.post("/gestion/taches/agenda/lien/").status_code == 403
    revoke = client.post("/gestion/taches/agenda/revoquer/", {"confirmation": "oui"})
    assert revoke.status_code == 403
    with in_town(town_a):
        assert not CalendarFeed.objects.exists()
