"""The bell on every back-office page (its count in one query), the inbox (unread first,
paginated, in a fixed number of queries), opening and marking read by POST only, and the
settings of what also goes by email."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shared_apps.accounts.perms import VIEW_AS_KEY
from tenant_apps.notifications.models import Notification, Preference
from tests.conftest import client_for, logged_in_client
from tests.factories import PartnerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def make(town_a, in_town):
    """`make(user, count, read=False)`: that many notifications for `user` in town A."""

    def create(user, count, read=False, town=town_a, prefix="n"):
        with in_town(town):
            Notification.objects.bulk_create(
                Notification(
                    recipient=user,
                    kind="porteur_answer",
                    text=f"{prefix} {number}",
                    url=f"/gestion/demandes/TST-2026-{number:05d}/",
                    key=f"{prefix}:{user.pk}:{number}:{read}",
                    read_at=timezone.now() if read else None,
                )
                for number in range(count)
            )

    return create


def bell(page):
    return re.search(r'<a class="fr-btn fr-icon-notification-3-line bell".*?</a>', page, re.S)[0]


def test_the_bell_says_how_many_are_unread_to_everyone_including_screen_readers(staff, agent, make):
    make(agent, 3)
    make(agent, 2, read=True)

    link = bell(staff.get("/gestion/").text)

    assert 'href="/gestion/notifications/"' in link
    assert 'aria-hidden="true">3</span>' in link
    assert "3 notifications non lues" in link


def test_the_bell_without_news_says_so(staff):
    assert "aucune notification non lue" in bell(staff.get("/gestion/").text)


def test_the_bell_stops_counting_at_99(staff, agent, make):
    make(agent, 130)

    link = bell(staff.get("/gestion/").text)

    assert ">99+</span>" in link and "99 ou plus notifications non lues" in link


def test_the_bell_costs_a_back_office_page_one_query_on_unread_rows_only(staff, agent, make):
    make(agent, 40)
    with CaptureQueriesContext(connection) as queries:
        staff.get("/gestion/locaux/")

    counted = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(counted) == 1
    assert "COUNT(*)" in counted[0] and '"read_at" IS NULL' in counted[0]
    assert "LIMIT 100" in counted[0]


def test_the_inbox_lists_unread_first_newest_first_25_a_page_in_fixed_queries(
    staff, agent, make, colleague
):
    make(agent, 20, read=True, prefix="lue")
    make(agent, 10, prefix="nouvelle")
    make(colleague, 5, prefix="autre")
    with CaptureQueriesContext(connection) as few:
        page = staff.get("/gestion/notifications/").text
    make(agent, 30, read=True, prefix="ancienne")
    with CaptureQueriesContext(connection) as many:
        staff.get("/gestion/notifications/?page=2")

    assert len(few) == len(many) <= 9
    texts = re.findall(r"<td data-label=\"Notification\">.*?(\w+ \d+)</", page)
    assert texts[:10] == [f"nouvelle {n}" for n in reversed(range(10))]
    assert texts[10:] == [f"lue {n}" for n in reversed(range(5, 20))]
    assert "autre" not in page
    assert "10 notifications non lues." in page
    assert '<table class="stack">' in page and "<caption>" in page
    assert 'data-label="Reçue le"' in page


def test_opening_marks_read_and_leads_to_the_demand(staff, agent, make, in_town, town_a):
    make(agent, 1)
    with in_town(town_a):
        notification = Notification.objects.get()

    response = staff.post(f"/gestion/notifications/{notification.pk}/ouvrir/")

    assert response.status_code == 302
    assert response["Location"] == "/gestion/demandes/TST-2026-00000/"
    with in_town(town_a):
        assert Notification.objects.get().read_at is not None


def test_a_get_on_open_or_read_changes_nothing(staff, agent, make, in_town, town_a):
    make(agent, 1)
    with in_town(town_a):
        pk = Notification.objects.get().pk

    assert staff.get(f"/gestion/notifications/{pk}/ouvrir/").status_code == 405
    assert staff.get(f"/gestion/notifications/{pk}/lue/").status_code == 405
    with in_town(town_a):
        assert Notification.objects.get().read_at is None


def test_marking_one_then_all_read(staff, agent, make, in_town, town_a):
    make(agent, 3)
    with in_town(town_a):
        first = Notification.objects.order_by("id").first()

    response = staff.post(f"/gestion/notifications/{first.pk}/lue/", {"page": "1"})
    assert response["Location"] == "/gestion/notifications/?page=1"
    with in_town(town_a):
        assert Notification.objects.unread().count() == 2

    page = staff.post("/gestion/notifications/tout-lire/", follow=True).text
    assert "2 notifications marquées comme lues." in page
    assert "Aucune notification non lue." in page
    with in_town(town_a):
        assert Notification.objects.unread().count() == 0


def test_nobody_opens_or_marks_someone_elses_notification(town_a, agent, colleague, make, in_town):
    make(colleague, 1)
    with in_town(town_a):
        pk = Notification.objects.get().pk
    staff = logged_in_client(town_a, agent)

    assert staff.post(f"/gestion/notifications/{pk}/ouvrir/").status_code == 404
    assert staff.post(f"/gestion/notifications/{pk}/lue/").status_code == 404
    staff.post("/gestion/notifications/tout-lire/")
    with in_town(town_a):
        assert Notification.objects.get().read_at is None


def test_only_the_towns_team_reaches_the_inbox(town_a):
    assert client_for(town_a).get("/gestion/notifications/").status_code == 302
    partner_user = PartnerMemberFactory().user
    assert logged_in_client(town_a, partner_user).get("/gestion/notifications/").status_code == 403


def test_the_settings_show_the_defaults_then_keep_the_persons_choice(staff, agent, in_town, town_a):
    page = staff.get("/gestion/notifications/reglages/").text
    checked = re.findall(r'value="(\w+)"[^>]*checked', page)
    assert sorted(checked) == ["assignment", "email_reply", "partner_answer", "porteur_answer"]
    assert '<label class="fr-label"' in page and "Recevoir aussi par courriel" in page

    response = staff.post(
        "/gestion/notifications/reglages/", {"email_kinds": ["assignment", "overdue_task"]}
    )

    assert response.status_code == 302
    with in_town(town_a):
        assert Preference.objects.get(user=agent).email_kinds == ["assignment", "overdue_task"]
    staff.post("/gestion/notifications/reglages/", {})
    with in_town(town_a):
        assert Preference.objects.get(user=agent).email_kinds == []


def test_a_tampered_setting_is_refused_in_french_and_the_ticked_boxes_stay(
    staff, agent, in_town, town_a
):
    response = staff.post(
        "/gestion/notifications/reglages/", {"email_kinds": ["assignment", "<script>"]}
    )

    assert response.status_code == 400
    page = response.text
    assert "Choisissez parmi les types de notification proposés." in page
    assert re.search(r'value="assignment"[^>]*checked', page)
    assert "<script>" not in page
    with in_town(town_a):
        assert not Preference.objects.exists()


def test_the_anct_consulting_the_town_reads_but_changes_nobodys_notifications(
    town_a, agent, make, in_town
):
    make(agent, 1)
    anct = UserFactory(anct=True)
    client = logged_in_client(town_a, anct)
    session = client.session
    session[VIEW_AS_KEY] = town_a.schema_name
    session.save()

    assert client.get("/gestion/notifications/").status_code == 200
    assert client.post("/gestion/notifications/tout-lire/").status_code == 403
    assert client.post("/gestion/notifications/reglages/", {}).status_code == 403
    with in_town(town_a):
        assert not Preference.objects.exists()
        assert Notification.objects.unread().count() == 1
