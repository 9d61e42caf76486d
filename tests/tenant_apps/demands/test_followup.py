"""The private follow-up link: what it shows and allows, and when it stops working."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from tenant_apps.demands.enums import DemandStatus, EventKind
from tenant_apps.demands.models import Demand, DemandEvent
from tenant_apps.mailing.models import OutboundEmail
from tests.conftest import client_for
from tests.factories import DemandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand(town_a, in_town):
    with in_town(town_a):
        demand = DemandFactory(
            description="Pain au levain", applicant__email="porteur@example.fr", siret=""
        )
        demand.record("submitted")
        demand.token = demand.followup_token()
    return demand


def reload(town, in_town, demand):
    with in_town(town):
        return Demand.objects.select_related("applicant").get(pk=demand.pk)


def test_the_link_shows_the_demand_privately(town_a, demand):
    response = client_for(town_a).get(f"/suivi/{demand.token}/")
    assert response.status_code == 200
    assert demand.reference in response.text
    assert "Demande déposée" in response.text
    assert response["Cache-Control"] == "no-store"
    assert "noindex" in response["X-Robots-Tag"]


def test_a_tampered_link_is_refused(town_a, demand):
    response = client_for(town_a).get(f"/suivi/{demand.token[:-2]}xx/")
    assert response.status_code == 404
    assert "Ce lien de suivi ne fonctionne pas" in response.text
    assert demand.reference not in response.text


def test_a_forged_link_with_another_pk_is_refused(town_a, demand):
    forged = signing.dumps([demand.pk + 1, 1], salt="boursoloco.suivi.town_ville_a", key="autre")
    assert client_for(town_a).get(f"/suivi/{forged}/").status_code == 404


def test_a_link_of_town_a_means_nothing_on_town_b(town_a, town_b, demand, in_town):
    with in_town(town_b):
        DemandFactory()  # a demand with possibly the same id in town B
    response = client_for(town_b).get(f"/suivi/{demand.token}/")
    assert response.status_code == 404


def test_an_expired_link_says_so_and_offers_a_new_one(town_a, demand, settings):
    settings.FOLLOWUP_LINK_DAYS = 0
    response = client_for(town_a).get(f"/suivi/{demand.token}/")
    assert response.status_code == 410
    assert "Ce lien de suivi a expiré" in response.text
    assert 'name="email"' in response.text


def test_asking_for_a_new_link_revokes_the_old_ones(town_a, demand, in_town):
    client = client_for(town_a)
    response = client.post("/suivi/nouveau-lien/", {"email": "PORTEUR@example.fr"})
    assert response.status_code == 200
    assert "un nouveau lien de suivi vient d’y être envoyé" in response.text

    assert client.get(f"/suivi/{demand.token}/").status_code == 404
    with in_town(town_a):
        email = OutboundEmail.objects.get(key__endswith=":link")
        new_path = "/suivi/" + email.body.split("/suivi/")[1].split("/")[0] + "/"
    assert client.get(new_path).status_code == 200


def test_an_unknown_address_gets_the_same_answer(town_a, demand, in_town):
    response = client_for(town_a).post("/suivi/nouveau-lien/", {"email": "inconnu@example.fr"})
    assert "un nouveau lien de suivi vient d’y être envoyé" in response.text
    with in_town(town_a):
        assert not OutboundEmail.objects.exists()


def test_new_link_requests_are_rate_limited(town_a, demand, settings):
    settings.FOLLOWUP_LINK_REQUESTS_PER_HOUR = 2
    client = client_for(town_a)
    statuses = [
        client.post("/suivi/nouveau-lien/", {"email": "x@example.fr"}).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_the_porteur_confirms_still_searching(town_a, demand, in_town):
    with in_town(town_a):
        Demand.objects.filter(pk=demand.pk).update(status=DemandStatus.DORMANT)
    client = client_for(town_a)
    response = client.post(f"/suivi/{demand.token}/action/", {"action": "still_searching"})
    assert response.status_code == 302
    updated = reload(town_a, in_town, demand)
    assert updated.status == DemandStatus.SEARCHING
    assert updated.applicant_seen_at > timezone.now() - timedelta(minutes=1)
    assert "cherchez toujours" in client.get(response["Location"]).text


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        ("found_here", DemandStatus.PREMISES_FOUND),
        ("found_elsewhere", DemandStatus.ABANDONED),
        ("gave_up", DemandStatus.ABANDONED),
    ],
)
def test_the_porteur_closes_the_demand(town_a, demand, in_town, outcome, status):
    client_for(town_a).post(
        f"/suivi/{demand.token}/action/", {"action": outcome, "confirmation": "oui"}
    )
    updated = reload(town_a, in_town, demand)
    assert (updated.status, updated.outcome) == (status, outcome)
    with in_town(town_a):
        assert DemandEvent.objects.filter(demand=demand, kind="closed").exists()


def test_an_unknown_action_changes_nothing(town_a, demand, in_town):
    client_for(town_a).post(f"/suivi/{demand.token}/action/", {"action": "installed"})
    assert reload(town_a, in_town, demand).status == DemandStatus.NEW


def test_actions_need_a_post(town_a, demand):
    assert client_for(town_a).get(f"/suivi/{demand.token}/action/").status_code == 405


def test_the_porteur_updates_their_needs(town_a, demand, in_town):
    client = client_for(town_a)
    page = client.get(f"/suivi/{demand.token}/modifier/")
    assert 'value="40"' in page.text
    response = client.post(
        f"/suivi/{demand.token}/modifier/",
        {
            "premises_kind": "office",
            "surface_min": "20",
            "surface_max": "30",
            "description": "Plutôt un bureau finalement",
        },
    )
    assert response.status_code == 302
    updated = reload(town_a, in_town, demand)
    assert (updated.premises_kind, updated.surface_min, updated.surface_max) == ("office", 20, 30)
    assert updated.description == "Plutôt un bureau finalement"
    with in_town(town_a):
        assert DemandEvent.objects.filter(demand=demand, kind="updated").exists()


def test_bad_updates_are_refused_and_kept(town_a, demand, in_town):
    response = client_for(town_a).post(
        f"/suivi/{demand.token}/modifier/",
        {"premises_kind": "office", "surface_min": "300", "surface_max": "30"},
    )
    assert response.status_code == 200
    assert "au moins égale à la minimale" in response.text
    assert 'value="300"' in response.text
    assert reload(town_a, in_town, demand).surface_min == 40


def test_erasure_anonymises_but_keeps_the_statistics(town_a, demand, in_town):
    client = client_for(town_a)
    assert "Effacer définitivement" in client.get(f"/suivi/{demand.token}/effacer/").text

    response = client.post(f"/suivi/{demand.token}/effacer/", {"confirmation": "oui"})

    assert "Vos données ont été effacées" in response.text
    erased = reload(town_a, in_town, demand)
    assert erased.erased_at is not None
    assert erased.applicant.first_name == "Anonyme"
    assert erased.applicant.last_name == "" and erased.applicant.phone == ""
    assert "porteur@example.fr" not in erased.applicant.email
    assert erased.description == ""
    assert erased.status == DemandStatus.ABANDONED
    # What the statistics need stays.
    assert (erased.activity_category, erased.surface_min, erased.premises_kind) == (
        "food",
        40,
        "shop",
    )
    assert client.get(f"/suivi/{demand.token}/").status_code == 404
    with in_town(town_a):
        assert not Demand.objects.not_erased().filter(applicant__email="porteur@example.fr")


def test_erasure_leaves_no_personal_data_in_the_outbox(town_a, demand, in_town):
    client = client_for(town_a)
    client.post("/suivi/nouveau-lien/", {"email": "porteur@example.fr"})
    with in_town(town_a):
        demand = Demand.objects.get(pk=demand.pk)
        token = demand.followup_token()
    client.post(f"/suivi/{token}/effacer/", {"confirmation": "oui"})
    with in_town(town_a):
        assert not OutboundEmail.objects.filter(to="porteur@example.fr").exists()
        assert not OutboundEmail.objects.filter(body__contains="/suivi/").exists()


def test_one_porteur_receives_few_new_links_whatever_the_addresses(town_a, demand, settings):
    settings.FOLLOWUP_LINKS_PER_RECIPIENT_PER_HOUR = 1
    statuses = [
        client_for(town_a)
        .post("/suivi/nouveau-lien/", {"email": "porteur@example.fr"}, REMOTE_ADDR=f"10.0.0.{i}")
        .status_code
        for i in range(2)
    ]
    assert statuses == [200, 429]


def test_a_dormant_demand_can_be_closed_by_its_porteur(town_a, demand, in_town):
    with in_town(town_a):
        Demand.objects.filter(pk=demand.pk).update(status=DemandStatus.DORMANT)
    client_for(town_a).post(
        f"/suivi/{demand.token}/action/", {"action": "found_elsewhere", "confirmation": "oui"}
    )
    assert reload(town_a, in_town, demand).outcome == "found_elsewhere"


# Irreversible acts ask first; a closed demand may be reopened for 30 days -------------


@pytest.mark.parametrize("outcome", ["found_here", "found_elsewhere", "gave_up"])
def test_closing_asks_for_confirmation_first(town_a, demand, in_town, outcome):
    client = client_for(town_a)
    response = client.post(f"/suivi/{demand.token}/action/", {"action": outcome})

    assert response.status_code == 200
    assert "Clore votre demande" in response.text
    assert 'name="confirmation" value="oui"' in response.text
    assert f'name="action" value="{outcome}"' in response.text
    assert "Annuler" in response.text
    assert reload(town_a, in_town, demand).status == DemandStatus.NEW


@pytest.mark.parametrize("confirmation", ["", "non", "1"])
def test_a_close_without_its_confirmation_button_changes_nothing(
    town_a, demand, in_town, confirmation
):
    client_for(town_a).post(
        f"/suivi/{demand.token}/action/", {"action": "gave_up", "confirmation": confirmation}
    )
    updated = reload(town_a, in_town, demand)
    assert (updated.status, updated.outcome) == (DemandStatus.NEW, "")


def test_erasure_without_its_confirmation_button_changes_nothing(town_a, demand, in_town):
    response = client_for(town_a).post(f"/suivi/{demand.token}/effacer/")

    assert response.status_code == 200
    assert "Effacer définitivement" in response.text
    assert 'name="confirmation" value="oui"' in response.text
    kept = reload(town_a, in_town, demand)
    assert kept.erased_at is None and kept.applicant.email == "porteur@example.fr"


def test_the_reminder_link_asks_and_only_the_button_answers(town_a, demand, in_town):
    """Mail scanners open the link: the GET shows the question, the POST answers it."""
    with in_town(town_a):
        Demand.objects.filter(pk=demand.pk).update(status=DemandStatus.DORMANT)
    client = client_for(town_a)

    page = client.get(f"/suivi/{demand.token}/toujours/")

    assert page.status_code == 200
    assert "Oui, je cherche toujours" in page.text and 'method="post"' in page.text
    assert reload(town_a, in_town, demand).status == DemandStatus.DORMANT

    response = client.post(f"/suivi/{demand.token}/toujours/")

    assert response.status_code == 302
    assert reload(town_a, in_town, demand).status == DemandStatus.SEARCHING


def close(town_a, in_town, demand, outcome="gave_up"):
    response = client_for(town_a).post(
        f"/suivi/{demand.token}/action/", {"action": outcome, "confirmation": "oui"}
    )
    assert response.status_code == 302
    return reload(town_a, in_town, demand)


def test_the_porteur_reopens_a_closed_demand_where_it_was(town_a, demand, in_town):
    with in_town(town_a):
        demand.transition_to(DemandStatus.QUALIFIED, actor="équipe")
        demand.transition_to(DemandStatus.SEARCHING, actor="équipe")
    assert close(town_a, in_town, demand).status == DemandStatus.ABANDONED
    client = client_for(town_a)
    page = client.get(f"/suivi/{demand.token}/")
    assert "Rouvrir ma demande" in page.text and 'value="reopen"' in page.text

    response = client.post(f"/suivi/{demand.token}/action/", {"action": "reopen"})

    reopened = reload(town_a, in_town, demand)
    assert (reopened.status, reopened.outcome) == (DemandStatus.SEARCHING, "")
    timeline = client.get(response["Location"]).text
    assert "Votre demande est rouverte" in timeline
    assert "Demande rouverte par le porteur" in timeline
    assert "Rouvrir ma demande" not in timeline
    with in_town(town_a):
        event = DemandEvent.objects.get(demand=demand, kind=EventKind.REOPENED)
        assert event.visible_to_applicant and event.actor == "porteur"
        assert Demand.objects.open().filter(pk=demand.pk).exists()


def test_a_dormant_demand_closed_then_reopened_goes_back_to_its_open_status(
    town_a, demand, in_town
):
    with in_town(town_a):
        demand.transition_to(DemandStatus.QUALIFIED, actor="équipe")
        demand.transition_to(DemandStatus.DORMANT, actor="système", check=False)
    close(town_a, in_town, demand, "found_here")
    client_for(town_a).post(f"/suivi/{demand.token}/action/", {"action": "reopen"})
    assert reload(town_a, in_town, demand).status == DemandStatus.QUALIFIED


def test_a_demand_closed_more_than_30_days_ago_stays_closed(town_a, demand, in_town):
    close(town_a, in_town, demand)
    with in_town(town_a):
        Demand.objects.filter(pk=demand.pk).update(
            status_changed_at=timezone.now() - timedelta(days=30, minutes=1)
        )
    client = client_for(town_a)
    assert "Rouvrir ma demande" not in client.get(f"/suivi/{demand.token}/").text

    client.post(f"/suivi/{demand.token}/action/", {"action": "reopen"})

    assert reload(town_a, in_town, demand).status == DemandStatus.ABANDONED
    with in_town(town_a):
        assert not DemandEvent.objects.filter(demand=demand, kind=EventKind.REOPENED).exists()


@pytest.mark.parametrize("status", [DemandStatus.OUT_OF_SCOPE, DemandStatus.SEARCHING])
def test_only_closed_demands_the_porteur_may_reopen_are_reopened(town_a, demand, in_town, status):
    with in_town(town_a):
        Demand.objects.filter(pk=demand.pk).update(status=status)
    client_for(town_a).post(f"/suivi/{demand.token}/action/", {"action": "reopen"})
    assert reload(town_a, in_town, demand).status == status


def test_the_timeline_says_to_which_status_a_demand_moved(town_a, in_town):
    with in_town(town_a):
        demand = DemandFactory()
        demand.transition_to(DemandStatus.QUALIFIED, check=False)
        token = demand.followup_token()

    page = client_for(town_a).get(f"/suivi/{token}/").text

    assert "Statut modifié : qualifiée" in page
