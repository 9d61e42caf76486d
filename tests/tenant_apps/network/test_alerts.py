"""Alerts: qualified demands reach matching partners once, digests group them, and the
email's one-click answers land on the demand's timeline."""

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.utils import timezone

from tenant_apps.demands.models import Demand
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.network.models import ANSWER_SALT, Alert, Broadcast, NetworkMember
from tenant_apps.network.services import broadcast_demand, broadcast_pending, send_digests
from tenant_apps.townsite.models import TownSettings
from tenants.signing import town_salt
from tests.conftest import client_for, logged_in_client
from tests.factories import DemandFactory, MembershipFactory, NetworkMemberFactory
from tests.jobs import committing, run_jobs
from tests.tenant_apps.network.helpers import answer_links, emails_to, path_of

pytestmark = pytest.mark.django_db


def qualify(town, reference):
    agent = MembershipFactory(territory=town, role="agent").user
    client = logged_in_client(town, agent)
    response = client.post(f"/gestion/demandes/{reference}/statut/", {"status": "qualified"})
    assert response.status_code == 302
    return agent


@pytest.fixture
def network(town_a, in_town):
    """Town A: two matching partners, one that wants offices only, one awaiting a decision."""
    with in_town(town_a):
        members = {
            "shops": NetworkMemberFactory(partner__email="boutiques@agence.fr"),
            "food": NetworkMemberFactory(partner__email="food@bailleur.fr", categories=["food"]),
            "offices": NetworkMemberFactory(
                partner__email="bureaux@agence.fr", premises_kinds=["office"]
            ),
            "pending": NetworkMemberFactory(partner__email="attente@agence.fr", status="requested"),
        }
        demand = DemandFactory(reference="VIL-2026-00001")
    return members, demand


def test_qualifying_alerts_matching_partners_once_with_an_anonymous_summary(
    town_a, network, in_town
):
    members, demand = network
    qualify(town_a, demand.reference)
    run_jobs()

    assert len(emails_to("boutiques@agence.fr")) == 1
    assert len(emails_to("food@bailleur.fr")) == 1
    assert not emails_to("bureaux@agence.fr") and not emails_to("attente@agence.fr")
    message = emails_to("boutiques@agence.fr")[0]
    assert "Boulangerie artisanale" in message.body and "de 40 à 90 m²" in message.body
    # Nothing that says who the porteur is.
    assert demand.applicant.email not in message.body
    assert demand.applicant.last_name not in message.body
    assert set(answer_links(message)) == {"maybe", "nothing", "unsubscribe"}
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://ville-a.")
    with in_town(town_a):
        assert demand.events.filter(kind="partners_alerted").count() == 1
        assert Alert.objects.filter(demand=demand).count() == 2


def test_a_job_run_twice_or_retried_alerts_nobody_twice(town_a, network, in_town):
    members, demand = network
    qualify(town_a, demand.reference)
    run_jobs()
    with in_town(town_a):
        assert broadcast_demand(demand.pk) == 0
        Broadcast.objects.filter(demand=demand).update(done_at=None)  # as if never finished
        assert broadcast_demand(demand.pk) == 0  # the alerts exist: nobody is told again
    run_jobs()
    assert len(emails_to("boutiques@agence.fr")) == 1


def test_a_lost_job_is_caught_up_and_partners_who_joined_later_hear_of_it(
    town_a, network, in_town, settings
):
    members, demand = network
    settings.RQ_QUEUES["default"]["URL"] = "redis://127.0.0.1:1/0"  # Redis unreachable
    qualify(town_a, demand.reference)
    settings.RQ_QUEUES["default"]["URL"] = settings.REDIS_URL
    run_jobs()
    assert not mail.outbox
    with in_town(town_a):
        Broadcast.objects.update(requested_at=timezone.now() - timedelta(minutes=5))
        with committing():
            assert broadcast_pending() == 2
        NetworkMemberFactory(partner__email="nouveau@agence.fr")
        with committing():
            demand.transition_to("searching", check=False)
            demand.transition_to("qualified", check=False)
    run_jobs()
    assert len(emails_to("boutiques@agence.fr")) == 1
    assert len(emails_to("nouveau@agence.fr")) == 1


def test_the_town_may_alert_on_submission(town_a, in_town):
    from tests.tenant_apps.demands.helpers import submit_demand

    with in_town(town_a):
        NetworkMemberFactory(partner__email="vite@agence.fr")
        TownSettings.objects.update_or_create(pk=1, defaults={"alert_partners_on": "submitted"})
    assert submit_demand(client_for(town_a)).status_code == 302
    run_jobs()
    assert len(emails_to("vite@agence.fr")) == 1


def test_partners_of_town_b_hear_nothing_of_town_a(town_a, town_b, network, in_town):
    members, demand = network
    with in_town(town_b):
        NetworkMemberFactory(partner=members["shops"].partner)  # the same agency, town B too
        NetworkMemberFactory(partner__email="seulement-b@agence.fr")
    qualify(town_a, demand.reference)
    run_jobs()
    assert not emails_to("seulement-b@agence.fr")
    assert len(emails_to("boutiques@agence.fr")) == 1
    assert "ville-a" in answer_links(emails_to("boutiques@agence.fr")[0])["maybe"]
    with in_town(town_b):
        assert not Alert.objects.exists()


def test_digests_group_a_partners_alerts_and_drop_closed_demands(town_a, in_town):
    with in_town(town_a):
        daily = NetworkMemberFactory(partner__email="quotidien@agence.fr", frequency="daily")
        weekly = NetworkMemberFactory(partner__email="hebdo@agence.fr", frequency="weekly")
        demands = [DemandFactory(activity=f"Activité {n}") for n in range(3)]
        for demand in demands:
            Broadcast.objects.create(demand=demand)
            broadcast_demand(demand.pk)
        demands[2].transition_to("abandoned", check=False)
    run_jobs()
    assert not mail.outbox  # digests wait for their time

    with in_town(town_a), committing():
        assert send_digests("daily") == 1
        assert send_digests("daily") == 0  # twice the same day: nothing more
    run_jobs()
    (digest,) = emails_to("quotidien@agence.fr")
    assert "2 demandes de local" in digest.subject
    assert "Activité 0" in digest.body and "Activité 1" in digest.body
    assert "Activité 2" not in digest.body
    assert len(answer_links_in_digest(digest)) == 6
    assert not emails_to("hebdo@agence.fr")
    with in_town(town_a):
        assert send_digests("weekly") == 1
        assert Alert.objects.filter(partner=weekly.partner, sent_at__isnull=True).count() == 0
        # The closed demand's alert was never sent: it is dropped, not counted as sent.
        assert Alert.objects.filter(partner=daily.partner).count() == 2
        assert not Alert.objects.filter(sent_at=None).exists()


def answer_links_in_digest(message):
    return [line for line in message.body.splitlines() if "/partenaires/reponse/" in line]


@pytest.fixture
def alerted(town_a, network, in_town):
    members, demand = network
    assignee = qualify(town_a, demand.reference)
    with in_town(town_a):
        Demand.objects.filter(pk=demand.pk).update(assignee=assignee)
    run_jobs()
    links = answer_links(emails_to("boutiques@agence.fr")[0])
    mail.outbox.clear()
    return demand, links, assignee


def test_a_get_records_nothing_and_the_page_posts_the_answer(town_a, alerted, in_town):
    demand, links, assignee = alerted
    client = client_for(town_a)  # no login: the link is the proof
    page = client.get(path_of(links["maybe"]))
    assert page.status_code == 200 and "data-auto-submit" in page.text
    with in_town(town_a):
        assert not Alert.objects.filter(answer="maybe").exists()

    done = client.post(path_of(links["maybe"]))
    assert "votre réponse est enregistrée" in done.text
    with in_town(town_a):
        alert = Alert.objects.get(answer="maybe")
        assert alert.answered_at
        event = demand.events.get(kind="partner_answered")
        assert "J’ai peut-être un local" in event.message and not event.visible_to_applicant
    run_jobs()
    (told,) = emails_to(assignee.email)
    assert demand.reference in told.subject and alert.partner.name in told.subject
    page = logged_in_client(town_a, assignee).get(f"/gestion/demandes/{demand.reference}/")
    assert "Partenaires alertés" in page.text
    assert f'{alert.partner.name} : <span class="fr-badge' in page.text


def test_a_replayed_answer_records_nothing_new(town_a, alerted, in_town):
    demand, links, _ = alerted
    client = client_for(town_a)
    client.post(path_of(links["nothing"]))
    again = client.post(path_of(links["nothing"]))
    assert "c’était déjà votre réponse" in again.text
    with in_town(town_a):
        assert demand.events.filter(kind="partner_answered").count() == 1
    client.post(path_of(links["maybe"]))  # changing one's mind is recorded
    with in_town(town_a):
        assert demand.events.filter(kind="partner_answered").count() == 2


def test_tampered_expired_and_foreign_links_are_refused(town_a, town_b, alerted, in_town, settings):
    demand, links, _ = alerted
    path = path_of(links["maybe"])
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert client_for(town_a).post(tampered).status_code == 400
    assert client_for(town_b).post(path).status_code == 400  # another town's link
    with in_town(town_a):
        forged = signing.dumps([999999, "maybe"], salt=town_salt(ANSWER_SALT))
    assert client_for(town_a).post(f"/partenaires/reponse/{forged}/").status_code == 400
    settings.ALERT_LINK_DAYS = 0
    expired = client_for(town_a).post(path)
    assert expired.status_code == 400 and "expiré" in expired.text
    with in_town(town_a):
        assert not Alert.objects.exclude(answer="").exists()


def test_unsubscribing_from_one_kind_or_from_everything(town_a, alerted, in_town):
    demand, links, _ = alerted
    client = client_for(town_a)
    client.post(path_of(links["unsubscribe"]))
    with in_town(town_a):
        alert = Alert.objects.get(answer="unsubscribe")
        member = NetworkMember.objects.get(partner=alert.partner)
        assert "shop" not in member.premises_kinds and member.alerts_enabled
        token = member.unsubscribe_token("all")
    # One-click unsubscription as mail clients do it: a POST without cookie nor CSRF token.
    strict = client_for(town_a)
    strict.handler.enforce_csrf_checks = True
    response = strict.post(
        f"/partenaires/desabonnement/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    with in_town(town_a):
        member.refresh_from_db()
        assert not member.alerts_enabled
        other = DemandFactory(premises_kind="office")
        Broadcast.objects.create(demand=other)
        broadcast_demand(other.pk)
        assert not Alert.objects.filter(partner=member.partner, demand=other).exists()


def test_one_email_per_partner_and_demand_in_the_outbox(town_a, network, in_town):
    members, demand = network
    qualify(town_a, demand.reference)
    run_jobs()
    with in_town(town_a):
        alerts = OutboundEmail.objects.filter(key__startswith="alert:")
        keys = list(alerts.values_list("key", flat=True))
    assert len(keys) == 2 and len(set(keys)) == 2


def test_a_second_digest_the_same_day_sends_only_the_new_alerts(town_a, in_town):
    with in_town(town_a):
        NetworkMemberFactory(partner__email="quotidien@agence.fr", frequency="daily")
        first, second = DemandFactory(activity="Première"), DemandFactory(activity="Seconde")
        Broadcast.objects.create(demand=first)
        broadcast_demand(first.pk)
        with committing():
            assert send_digests("daily") == 1
        Broadcast.objects.create(demand=second)
        broadcast_demand(second.pk)
        with committing():
            assert send_digests("daily") == 1  # a retried or manual run the same day
    run_jobs()
    digests = emails_to("quotidien@agence.fr")
    assert [("Première" in d.body, "Seconde" in d.body) for d in digests] == [
        (True, False),
        (False, True),
    ]


def test_no_digest_once_the_partner_stopped_its_alerts(town_a, in_town):
    with in_town(town_a):
        stopped = NetworkMemberFactory(partner__email="stop@agence.fr", frequency="daily")
        no_shops = NetworkMemberFactory(partner__email="bureaux@agence.fr", frequency="daily")
        demand = DemandFactory(premises_kind="shop")
        Broadcast.objects.create(demand=demand)
        broadcast_demand(demand.pk)
        stopped.stop_all_alerts()
        no_shops.stop_alerts_for("shop")
        with committing():
            assert send_digests("daily") == 0
        assert not Alert.objects.exists()  # never sent: dropped
    run_jobs()
    assert not mail.outbox


def test_a_digest_follows_the_settings_the_partner_has_now(town_a, in_town):
    with in_town(town_a):
        member = NetworkMemberFactory(partner__email="cafes@agence.fr", frequency="daily")
        demand = DemandFactory(activity_category="food", surface_min=40, surface_max=90)
        Broadcast.objects.create(demand=demand)
        broadcast_demand(demand.pk)
        member.categories = ["services"]  # no longer food
        member.save()
        with committing():
            assert send_digests("daily") == 0
    run_jobs()
    assert not mail.outbox


def test_a_decision_without_a_clear_choice_changes_nothing(town_a, in_town):
    admin = MembershipFactory(territory=town_a, role="admin").user
    with in_town(town_a):
        member = NetworkMemberFactory(status="requested")
    logged_in_client(town_a, admin).post(f"/gestion/partenaires/{member.pk}/decision/", {})
    with in_town(town_a):
        member.refresh_from_db()
        assert member.status == "requested"


def alerted_section(page):
    return page.split("Partenaires alertés", 1)[1].split("Historique", 1)[0]


def test_the_demand_page_lists_partners_alerted_apart_from_those_awaiting_their_digest(
    town_a, town_b, in_town
):
    with in_town(town_a):
        NetworkMemberFactory(partner__name="Agence Immédiate", frequency="immediate")
        NetworkMemberFactory(partner__name="Agence Quotidienne", frequency="daily")
        NetworkMemberFactory(partner__name="Foncière Hebdo", frequency="weekly")
        demand = DemandFactory(reference="VIL-2026-00001")
    with in_town(town_b):
        NetworkMemberFactory(partner__name="Agence de B", frequency="immediate")
        other = DemandFactory(reference="VIL-2026-00001")
    agent = qualify(town_a, demand.reference)
    qualify(town_b, other.reference)
    run_jobs()
    page = logged_in_client(town_a, agent).get(f"/gestion/demandes/{demand.reference}/")
    sent, _, pending = alerted_section(page.text).partition("prochain récapitulatif")
    assert "Agence Immédiate" in sent and "alerté le" in sent
    assert "Agence Quotidienne" not in sent and "Foncière Hebdo" not in sent
    assert "Agence Quotidienne" in pending and "quotidien" in pending
    assert "Foncière Hebdo" in pending and "lundi" in pending
    assert "Agence de B" not in page.text

    with in_town(town_a), committing():
        send_digests("daily")
    section = alerted_section(logged_in_client(town_a, agent).get(page.request["PATH_INFO"]).text)
    sent, _, pending = section.partition("prochain récapitulatif")
    assert "Agence Quotidienne" in sent and "Agence Quotidienne" not in pending
    assert "Foncière Hebdo" in pending
