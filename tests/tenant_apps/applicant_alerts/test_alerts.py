"""Porteurs' premises alerts: a newly published premises that fits a subscribed open
demand above the town's score is emailed to its porteur once, one email a day at most,
never to another town's porteurs."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from tenant_apps.applicant_alerts.models import PremisesAlert, Publication, Subscription
from tenant_apps.applicant_alerts.services import (
    announce_pending,
    announce_premises,
    send_daily_alerts,
)
from tenant_apps.demands.models import Demand
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.townsite.models import TownSettings
from tests.conftest import client_for, logged_in_client
from tests.factories import DemandFactory, MembershipFactory, PremisesFactory
from tests.jobs import committing, run_jobs
from tests.tenant_apps.applicant_alerts.helpers import (
    alerts_to,
    catalogue_links,
    publish,
    subscribed_demand,
)
from tests.tenant_apps.demands.helpers import CONTACT, submit_demand

pytestmark = pytest.mark.django_db

PORTEUR = "porteur@example.fr"


@pytest.fixture
def porteur(town_a, in_town):
    with in_town(town_a):
        return subscribed_demand(applicant__email=PORTEUR)


def next_day():
    """Every clock of the app a day later (the porteur's daily cap is per day)."""
    later = timezone.now() + timedelta(days=1)
    return mock.patch("django.utils.timezone.now", return_value=later)


def test_a_porteur_who_asked_on_the_form_hears_of_a_premises_published_later(town_a, in_town):
    contact = {**CONTACT, "email": "demande@example.fr", "premises_alerts": "on"}
    assert submit_demand(client_for(town_a), **{"/demande/contact/": contact}).status_code == 302
    run_jobs()
    staff = logged_in_client(town_a, MembershipFactory(territory=town_a, role="agent").user)

    response = staff.post(
        "/gestion/locaux/nouveau/",
        {
            "address": "12 rue du Marché",
            "kind": "shop",
            "surface": "60",
            "monthly_rent": "1000",
            "state": "vacant",
            "has_shop_window": "on",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    run_jobs()

    (alert,) = alerts_to("demande@example.fr")
    with in_town(town_a):
        demand = Demand.objects.get(applicant__email="demande@example.fr")
        premises_id = PremisesAlert.objects.get(demand=demand).premises_id
    assert demand.reference in alert.subject and "un local publié correspond" in alert.subject
    assert "Boutique de 60 m² — 12 rue du Marché" in alert.body
    assert "1\u202f000 € par mois · vitrine" in alert.body
    assert catalogue_links(alert) == [town_a.url(f"/locaux/{premises_id}/")]
    assert "/suivi/" in alert.body and "demande@example.fr" not in alert.body
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert alert.extra_headers["List-Unsubscribe"].startswith(f"<http://{town_a.host}")


def test_porteurs_who_did_not_ask_hear_nothing(town_a, in_town):
    assert submit_demand(client_for(town_a)).status_code == 302  # box left unticked
    with in_town(town_a):
        DemandFactory(applicant__email="jamais@example.fr")
        assert not Subscription.objects.exists()
    publish(town_a, in_town)

    assert not alerts_to(CONTACT["email"]) and not alerts_to("jamais@example.fr")


def test_only_premises_above_the_towns_score_alert(town_a, in_town, porteur):
    # 105 m² for 90 at most, 1 500 € for 1 200: a score of 50.
    publish(town_a, in_town, surface=105, monthly_rent=1500)
    assert not alerts_to(PORTEUR)

    with in_town(town_a):
        TownSettings.objects.update_or_create(pk=1, defaults={"applicant_alert_min_score": 45})
    lower = publish(town_a, in_town, surface=105, monthly_rent=1500)

    (alert,) = alerts_to(PORTEUR)
    assert f"/locaux/{lower.pk}/" in alert.body
    assert "Correspondance avec votre demande : 50 sur 100" in alert.body


def test_a_premises_of_town_a_never_alerts_the_porteurs_of_town_b(town_a, town_b, in_town, porteur):
    with in_town(town_b):
        # The same person, with the same demand, in town B too.
        subscribed_demand(applicant__email=PORTEUR)
        subscribed_demand(applicant__email="seulement-b@example.fr")
    premises = publish(town_a, in_town)

    (alert,) = alerts_to(PORTEUR)
    assert "Ville A" in alert.subject and town_a.url("/locaux/") in alert.body
    assert not alerts_to("seulement-b@example.fr")
    with in_town(town_b):
        assert not PremisesAlert.objects.exists()
        assert announce_premises(premises.pk) == 0  # B has no such announcement to run


def test_a_job_run_twice_or_a_premises_published_again_alerts_nobody_twice(
    town_a, in_town, porteur
):
    premises = publish(town_a, in_town)
    with in_town(town_a):
        assert announce_premises(premises.pk) == 0
        Publication.objects.update(done_at=None)  # as if never finished
        assert announce_premises(premises.pk) == 0  # the alert exists: nobody is told again
        with committing():
            premises.is_published = False
            premises.save()
            premises.is_published = True
            premises.save()  # published again: announced again, to nobody new
        assert Publication.objects.get().done_at is None
    run_jobs()
    with next_day():
        with in_town(town_a), committing():
            assert send_daily_alerts() == 0
        run_jobs()

    assert len(alerts_to(PORTEUR)) == 1
    with in_town(town_a):
        assert PremisesAlert.objects.get().sent_at is not None
        assert Publication.objects.get().done_at is not None


def test_at_most_one_email_a_day_the_rest_comes_the_next_morning(town_a, in_town, porteur):
    first = publish(town_a, in_town, address="1 rue Première")
    second = publish(town_a, in_town, address="2 rue Seconde")
    third = publish(town_a, in_town, address="3 rue Troisième", surface=95)

    (today,) = alerts_to(PORTEUR)
    assert f"/locaux/{first.pk}/" in today.body and "rue Seconde" not in today.body
    with in_town(town_a), committing():
        assert send_daily_alerts() == 0  # still the same day
    run_jobs()
    assert len(alerts_to(PORTEUR)) == 1

    with next_day():
        with in_town(town_a), committing():
            assert send_daily_alerts() == 1
            assert send_daily_alerts() == 0
        run_jobs()
    tomorrow = alerts_to(PORTEUR)[1]
    assert "2 locaux publiés correspondent" in tomorrow.subject
    # The best fit first: 95 m² is a little more than the 90 m² sought.
    assert catalogue_links(tomorrow) == [
        town_a.url(f"/locaux/{second.pk}/"),
        town_a.url(f"/locaux/{third.pk}/"),
    ]
    assert len(alerts_to(PORTEUR)) == 2
    with in_town(town_a):
        keys = set(OutboundEmail.objects.filter(to=PORTEUR).values_list("key", flat=True))
    assert len(keys) == 2 and all(":premises-alerts:" in key for key in keys)


def test_closed_dormant_or_switched_off_demands_hear_nothing(town_a, in_town):
    with in_town(town_a):
        subscribed_demand(applicant__email="close@example.fr", status="abandoned")
        dormant = subscribed_demand(applicant__email="dort@example.fr", status="dormant")
        off = subscribed_demand(applicant__email="arret@example.fr")
        Subscription.switch(off, False)
    publish(town_a, in_town)

    assert not mail.outbox
    with in_town(town_a):
        assert not PremisesAlert.objects.exists()
        # The sleeping porteur says they still search: the next premises reaches them.
        dormant.confirm_still_searching()
    publish(town_a, in_town, address="5 rue du Réveil")
    (alert,) = mail.outbox
    assert alert.to == ["dort@example.fr"] and "rue du Réveil" in alert.body


def test_what_waits_for_the_morning_is_dropped_if_the_demand_closes_or_the_premises_goes(
    town_a, in_town, porteur
):
    with in_town(town_a):
        other = subscribed_demand(applicant__email="autre@example.fr")
    publish(town_a, in_town, address="1 rue Vue")  # both emailed today
    gone = publish(town_a, in_town, address="2 rue Louée")
    publish(town_a, in_town, address="3 rue Close")
    with in_town(town_a):
        gone.change_state("let")
        other.close_by_applicant("found_here")
    with next_day():
        with in_town(town_a), committing():
            assert send_daily_alerts() == 1
        run_jobs()

    assert len(alerts_to("autre@example.fr")) == 1
    morning = alerts_to(PORTEUR)[1]
    assert "rue Close" in morning.body and "rue Louée" not in morning.body
    with in_town(town_a):
        assert not PremisesAlert.objects.filter(sent_at=None).exists()
        assert not PremisesAlert.objects.filter(demand=other, sent_at=None).exists()


def test_a_premises_back_on_the_market_or_newly_published_is_announced(town_a, in_town, porteur):
    with in_town(town_a), committing():
        let = PremisesFactory(is_published=True, state="let", address="1 rue Relouée")
        draft = PremisesFactory(address="2 rue Brouillon")
    run_jobs()
    assert not mail.outbox

    with in_town(town_a), committing():
        let.change_state("vacant")
    run_jobs()
    assert "rue Relouée" in alerts_to(PORTEUR)[0].body
    with in_town(town_a), committing():
        draft.is_published = True
        draft.save()
    with next_day():
        run_jobs()
    assert "rue Brouillon" in alerts_to(PORTEUR)[1].body


def test_a_lost_job_is_caught_up(town_a, in_town, porteur, settings):
    settings.RQ_QUEUES["default"]["URL"] = "redis://127.0.0.1:1/0"  # Redis unreachable
    with in_town(town_a), committing():
        premises = PremisesFactory(is_published=True)
    settings.RQ_QUEUES["default"]["URL"] = settings.REDIS_URL
    run_jobs()
    assert not mail.outbox

    with in_town(town_a):
        assert announce_pending() == 0  # too recent: its job may still be on its way
        Publication.objects.update(requested_at=timezone.now() - timedelta(minutes=5))
        with committing():
            assert announce_pending() == 1
        assert announce_pending() == 0
    run_jobs()
    (alert,) = alerts_to(PORTEUR)
    assert f"/locaux/{premises.pk}/" in alert.body


def test_erasing_a_demand_forgets_its_alert_emails(town_a, in_town, porteur):
    publish(town_a, in_town)
    with in_town(town_a):
        Demand.objects.get(pk=porteur.pk).erase()
        (email,) = OutboundEmail.objects.filter(key__contains=":premises-alerts:")
        assert email.body == "" and PORTEUR not in email.to
