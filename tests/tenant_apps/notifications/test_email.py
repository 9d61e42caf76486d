"""A notification also goes by email to whoever kept its kind by email (by default all but
overdue tasks), through the town's outbox: exactly once, in French, with its link and the
way to change these settings. notify() is idempotent on its key."""

import pytest
from django.core import mail

from tenant_apps.demands.enums import EventKind
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.notifications.models import Notification, Preference
from tenant_apps.notifications.services import NotBackOfficeUrl, notify
from tenant_apps.notifications.signals import notify_event
from tenant_apps.proposals.services import answer_proposal, propose
from tests.factories import PremisesFactory
from tests.jobs import committing, run_jobs

pytestmark = pytest.mark.django_db


def assign(town, demand, user, by, in_town):
    with in_town(town), committing():
        return demand.assign(user, by=by)


def test_an_assignment_goes_by_email_by_default_once_with_its_link_and_the_settings_link(
    town_a, demand, team, in_town
):
    event = assign(town_a, demand, team["colleague"], team["admin"], in_town)
    with in_town(town_a):
        notify_event(event, town_a.schema_name)  # a second time: nothing more
    run_jobs()

    [email] = [message for message in mail.outbox if message.to == [team["colleague"].email]]
    assert email.subject == (
        f"Nora Durand vous a attribué la demande {demand.reference} (Épicerie vrac)"
    )
    assert f"{town_a.url('/gestion/demandes/')}{demand.reference}/" in email.body
    assert town_a.url("/gestion/notifications/reglages/") in email.body
    assert "Bonjour" in email.body and "Ville A" in email.body
    with in_town(town_a):
        assert Notification.objects.count() == 1
        assert OutboundEmail.objects.get().sent_at is not None


def test_no_email_for_a_kind_the_person_unticked_but_the_notification_is_there(
    town_a, demand, team, in_town
):
    with in_town(town_a):
        Preference.objects.create(user=team["colleague"], email_kinds=["porteur_answer"])
    assign(town_a, demand, team["colleague"], team["admin"], in_town)

    with in_town(town_a):
        assert OutboundEmail.objects.count() == 0
        assert Notification.objects.get().recipient == team["colleague"]


def test_a_proposal_answer_keeps_its_detailed_email_for_who_wants_it(town_a, demand, team, in_town):
    with in_town(town_a):
        Preference.objects.create(user=team["colleague"], email_kinds=[])
        premises = PremisesFactory(address="12 rue des Arcades")
        proposal = propose(demand, premises, by=team["colleague"])
        with committing():
            answer_proposal(
                proposal, "interested", visit_availability="Mardi après 14 h", visit_attendees=""
            )
        [email] = OutboundEmail.objects.all()
        # Keyed under the demand: an erasure of the porteur's data empties it.
        assert email.key.startswith(f"demand:{demand.pk}:")
    assert email.to == team["agent"].email
    assert email.subject.startswith("Visite à organiser")
    assert "Mardi après 14 h" in email.body and "/gestion/notifications/reglages/" in email.body
    with in_town(town_a):
        assert Notification.objects.filter(recipient=team["colleague"]).count() == 1


def test_erasing_the_porteurs_data_drops_the_notifications_emails_not_yet_sent(
    town_a, demand, team, in_town
):
    with in_town(town_a):
        with committing():
            demand.record(EventKind.EMAIL_RECEIVED, actor="porteur")
        assert OutboundEmail.objects.filter(to=team["agent"].email).count() == 1
        demand.erase()
        assert not OutboundEmail.objects.filter(to=team["agent"].email).exists()


def test_notify_is_idempotent_on_its_key_and_follows_the_preference(town_a, team, in_town):
    with in_town(town_a):
        for _ in range(2):
            with committing():
                first = notify(
                    team["agent"],
                    "overdue_task",
                    "Tâche en retard : rappeler Mme Martin",
                    "/gestion/",
                    key="task:1:overdue:2026-05-04",
                )
        assert Notification.objects.get() == first
        assert OutboundEmail.objects.count() == 0  # overdue tasks: not by email by default
        Preference.objects.create(user=team["agent"], email_kinds=["overdue_task"])
        for _ in range(2):
            with committing():
                notify(
                    team["agent"],
                    "overdue_task",
                    "Tâche en retard : envoyer le bail",
                    "/gestion/",
                    key="task:2:overdue:2026-05-04",
                )
        assert Notification.objects.count() == 2
        assert OutboundEmail.objects.get().subject == "Tâche en retard : envoyer le bail"
    run_jobs()
    assert [message.to for message in mail.outbox] == [[team["agent"].email]]


@pytest.mark.parametrize(
    "url", ["https://ailleurs.example/", "//ailleurs.example/gestion/", "/suivi/x/", "/gestion/\\x"]
)
def test_a_notification_only_leads_into_the_back_office(town_a, team, in_town, url):
    with in_town(town_a), pytest.raises(NotBackOfficeUrl):
        notify(team["agent"], "assignment", "Texte", url, key="k")
    with in_town(town_a):
        assert not Notification.objects.exists()
