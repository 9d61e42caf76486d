"""The private follow-up link: what it shows and allows, and when it stops working."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from tenant_apps.demands.enums import DemandStatus
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
    client_for(town_a).post(f"/suivi/{demand.token}/action/", {"action": outcome})
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

    response = client.post(f"/suivi/{demand.token}/effacer/")

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
    client.post(f"/suivi/{token}/effacer/")
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
    client_for(town_a).post(f"/suivi/{demand.token}/action/", {"action": "found_elsewhere"})
    assert reload(town_a, in_town, demand).outcome == "found_elsewhere"
