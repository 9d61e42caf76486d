"""The porteur's side: proposals on the follow-up page (public fields, photos, map),
answered « Intéressé » or « Pas pour moi »; every answer a POST, on the timeline, moving
the pipeline and told to whoever proposed; a follow-up link worth nothing elsewhere."""

import json
import re

import pytest

from tenant_apps.demands.models import Demand, DemandEvent
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.premises.models import PremisesPhoto
from tenant_apps.proposals.models import Proposal
from tenant_apps.proposals.services import propose
from tests.conftest import client_for
from tests.factories import DemandFactory, PremisesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(town_a, in_town, demand, premises, agent):
    with in_town(town_a):
        PremisesPhoto.objects.create(premises=premises, image="locaux/1/vitrine.jpg")
        premises.change_state("works", note="Note interne : bail à renégocier")
        return propose(demand, premises, by=agent, message="Idéal pour votre épicerie.")


def answer_url(demand, proposal):
    return f"/suivi/{demand.token}/propositions/{proposal.pk}/"


def post_answer(client, demand, proposal, **data):
    prefix = f"p{proposal.pk}-"
    return client.post(answer_url(demand, proposal), {prefix + k: v for k, v in data.items()})


def test_the_followup_page_shows_proposals_with_public_fields_photos_and_map(
    town_a, porteur, demand, proposal
):
    page = porteur.get(f"/suivi/{demand.token}/").text

    assert 'id="propositions"' in page and "12 rue des Arcades" in page
    assert "Ancienne mercerie, vitrine sur rue." in page and "Idéal pour votre épicerie." in page
    assert "locaux/1/vitrine.jpg" in page
    assert "Propriétaire-Privé" not in page and "bail à renégocier" not in page
    data = json.loads(
        re.search(r'id="carte-donnees" type="application/json">(.*?)<', page).group(1)
    )
    assert data["premises"][0]["url"] == f"#proposition-{proposal.pk}"
    assert set(data["premises"][0]) == {"lat", "lon", "label", "detail", "available", "url"}
    assert f'action="/suivi/{demand.token}/propositions/{proposal.pk}/"' in page
    assert "À vous de répondre" in page


def test_interested_means_a_visit_to_arrange(
    town_a, porteur, demand, proposal, agent, in_town, reload
):
    response = post_answer(
        porteur,
        demand,
        proposal,
        answer="interested",
        visit_availability="Mardi après 14 h",
        visit_attendees="Moi et mon associée",
    )

    assert response.status_code == 302
    assert response["Location"] == f"/suivi/{demand.token}/#proposition-{proposal.pk}"
    answered = reload(town_a, proposal)
    assert (answered.answer, answered.visit_availability) == ("interested", "Mardi après 14 h")
    assert reload(town_a, demand).status == "visit"
    with in_town(town_a):
        event = DemandEvent.objects.get(demand=demand, kind="proposal_answered")
        assert event.message.endswith(": Intéressé") and event.actor == "porteur"
        told = OutboundEmail.objects.get(to=agent.email)
        assert "Visite à organiser" in told.subject
        assert "Mardi après 14 h" in told.body and "Moi et mon associée" in told.body
    page = porteur.get(response["Location"]).text
    assert "Votre réponse est transmise" in page and "organiser la visite" in page


def test_not_for_me_with_a_reason_puts_the_demand_back_to_searching(
    town_a, porteur, demand, proposal, agent, in_town, reload
):
    response = post_answer(
        porteur, demand, proposal, answer="declined", reason="price", comment="Trop cher"
    )

    assert response.status_code == 302
    answered = reload(town_a, proposal)
    assert (answered.answer, answered.reason, answered.comment) == (
        "declined",
        "price",
        "Trop cher",
    )
    # Every premises put to the porteur was turned down: back to searching.
    assert reload(town_a, demand).status == "searching"
    with in_town(town_a):
        assert "Pas pour moi (le prix)" in DemandEvent.objects.get(kind="proposal_answered").message
        assert "Local refusé" in OutboundEmail.objects.get(to=agent.email).subject


def test_the_same_answer_twice_is_recorded_once(town_a, porteur, demand, proposal, agent, in_town):
    for _ in range(2):
        post_answer(porteur, demand, proposal, answer="declined", reason="size")
    with in_town(town_a):
        assert DemandEvent.objects.filter(kind="proposal_answered").count() == 1
        assert OutboundEmail.objects.filter(to=agent.email).count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"answer": "interested"}, "Indiquez quand vous pourriez visiter"),
        ({"answer": "declined"}, "Choisissez la raison"),
        ({"answer": "declined", "reason": "<script>"}, "Choisissez une des raisons proposées."),
        ({"answer": "maybe"}, "Choisissez « Intéressé » ou « Pas pour moi »."),
        ({}, "Choisissez « Intéressé » ou « Pas pour moi »."),
        (
            {"answer": "interested", "visit_availability": "x" * 501},
            "500 caractères",
        ),
        (
            {"answer": "interested", "visit_availability": "lundi", "visit_attendees": "y" * 201},
            "200 caractères",
        ),
        ({"answer": "declined", "reason": "other", "comment": "\x00"}, "caractère nul"),
    ],
)
def test_hostile_answers_are_explained_and_change_nothing(
    town_a, porteur, demand, proposal, snapshot, data, error
):
    before = snapshot(town_a)
    response = post_answer(porteur, demand, proposal, **data)
    assert response.status_code == 400
    assert error in response.text
    assert snapshot(town_a) == before


def test_what_the_porteur_types_is_escaped_everywhere(
    town_a, porteur, staff, demand, proposal, in_town
):
    script = "<script>alert('x')</script>"
    post_answer(porteur, demand, proposal, answer="interested", visit_availability=script)
    for page in (
        porteur.get(f"/suivi/{demand.token}/").text,
        staff.get(f"/gestion/demandes/{demand.reference}/").text,
    ):
        assert script not in page and "&lt;script&gt;" in page


def test_get_routes_change_nothing(town_a, porteur, demand, proposal, premises, snapshot):
    before = snapshot(town_a)
    for path in (
        f"/suivi/{demand.token}/",
        answer_url(demand, proposal),
        f"/suivi/{demand.token}/propositions/interet/{premises.pk}/",
        f"/suivi/{demand.token}/propositions/locaux/",
        f"/locaux/{premises.pk}/",
        f"/locaux/{premises.pk}/interet/",
        f"{answer_url(demand, proposal)}?p{proposal.pk}-answer=declined",
    ):
        assert porteur.get(path).status_code in (200, 302), path
    assert snapshot(town_a) == before


def test_a_porteur_answers_their_own_proposals_only(town_a, porteur, demand, in_town, snapshot):
    with in_town(town_a):
        other = DemandFactory()
        theirs = propose(other, PremisesFactory(), by=None)
    before = snapshot(town_a)
    assert porteur.get(answer_url(demand, theirs)).status_code == 404
    response = post_answer(porteur, demand, theirs, answer="declined", reason="price")
    assert response.status_code == 404
    assert snapshot(town_a) == before


def test_a_porteur_token_of_town_a_is_worth_nothing_on_town_b(
    town_a, town_b, demand, proposal, premises, in_town, snapshot
):
    with in_town(town_b):
        DemandFactory(pk=demand.pk)  # the same id in town B: the token must still fail
        published_b = PremisesFactory(pk=premises.pk, is_published=True)
    on_b = client_for(town_b)
    before = snapshot(town_a), snapshot(town_b)
    for path in (
        answer_url(demand, proposal),
        f"/suivi/{demand.token}/propositions/interet/{published_b.pk}/",
        f"/suivi/{demand.token}/propositions/locaux/",
    ):
        assert on_b.get(path).status_code == 404, path
        assert on_b.post(path, {f"p{proposal.pk}-answer": "declined"}).status_code == 404, path
    assert (snapshot(town_a), snapshot(town_b)) == before
    # Nor does town B's catalogue recognise town A's porteur.
    assert "Ce local m’intéresse</button>" not in on_b.get(f"/locaux/{published_b.pk}/").text


def test_a_let_premises_can_no_longer_be_answered(
    town_a, porteur, demand, proposal, premises, in_town, snapshot
):
    with in_town(town_a):
        premises.change_state("let")
    assert "Ce local n’est plus disponible." in porteur.get(f"/suivi/{demand.token}/").text
    before = snapshot(town_a)
    post_answer(porteur, demand, proposal, answer="declined", reason="price")
    assert snapshot(town_a) == before


def test_a_sleeping_demand_wakes_when_its_porteur_answers(
    town_a, porteur, demand, proposal, in_town, reload
):
    with in_town(town_a):
        Demand.objects.filter(pk=demand.pk).update(status="dormant")
    post_answer(porteur, demand, proposal, answer="interested", visit_availability="Samedi")
    assert reload(town_a, demand).status == "visit"
    with in_town(town_a):
        assert Proposal.objects.get().answer == "interested"


def test_erasing_the_porteurs_data_forgets_their_words_on_proposals(
    town_a, porteur, demand, proposal, in_town
):
    post_answer(
        porteur,
        demand,
        proposal,
        answer="interested",
        visit_availability="Mardi, avec Jean Dupont",
        visit_attendees="Jean Dupont",
    )
    porteur.post(f"/suivi/{demand.token}/effacer/", {"confirmation": "oui"})
    with in_town(town_a):
        erased = Proposal.objects.get()
    assert erased.answer == "interested"  # the figures stay
    assert (erased.visit_availability, erased.visit_attendees, erased.comment) == ("", "", "")
