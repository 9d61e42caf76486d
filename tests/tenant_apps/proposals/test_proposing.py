"""The team and the partners propose premises from the matches: one click for one demand,
one action for a premises' best demands; never twice, never another town's premises."""

import pytest
from django.db import IntegrityError, transaction

from tenant_apps.demands.enums import OPEN_STATUSES
from tenant_apps.demands.models import DemandEvent
from tenant_apps.proposals.models import Proposal
from tests.conftest import logged_in_client
from tests.factories import DemandFactory, MembershipFactory, PremisesFactory

pytestmark = pytest.mark.django_db


def propose_url(demand, premises):
    return f"/gestion/propositions/demandes/{demand.reference}/locaux/{premises.pk}/"


def test_an_agent_proposes_a_premises_to_a_demand_in_one_click(
    town_a, staff, agent, demand, premises, in_town, reload
):
    page = staff.get(f"/gestion/demandes/{demand.reference}/").text
    assert "12 rue des Arcades" in page and propose_url(demand, premises) in page

    response = staff.post(propose_url(demand, premises))

    assert response.status_code == 302
    assert response["Location"] == f"/gestion/demandes/{demand.reference}/"
    with in_town(town_a):
        proposal = Proposal.objects.get()
        assert (proposal.origin, proposal.proposed_by, proposal.answer) == ("team", agent, "")
        event = DemandEvent.objects.get(demand=demand, kind="proposed")
        assert event.visible_to_applicant and "12 rue des Arcades" in event.message
    assert reload(town_a, demand).status == "proposals"
    page = staff.get(response["Location"]).text
    assert "Local proposé à 1 demande" in page
    assert "Déjà proposé" in page and propose_url(demand, premises) not in page


def test_a_premises_is_never_proposed_twice(town_a, staff, demand, premises, in_town):
    staff.post(propose_url(demand, premises))
    again = staff.post(propose_url(demand, premises), follow=True)

    assert "Ce local a déjà été proposé à la demande" in again.text
    with in_town(town_a):
        assert Proposal.objects.count() == 1
        assert DemandEvent.objects.filter(kind="proposed").count() == 1
        # The database itself refuses a second row for the same pair.
        with pytest.raises(IntegrityError), transaction.atomic():
            Proposal.objects.create(demand=demand, premises=premises, origin="team")


def test_from_the_premises_page_back_to_it(town_a, staff, demand, premises):
    page = staff.get(f"/gestion/locaux/{premises.pk}/").text
    assert demand.reference in page and 'name="retour" value="local"' in page
    response = staff.post(propose_url(demand, premises), {"retour": "local"})
    assert response["Location"] == f"/gestion/locaux/{premises.pk}/"


def test_a_premises_goes_to_its_best_demands_not_yet_proposed(town_a, staff, premises, in_town):
    with in_town(town_a):
        best = DemandFactory(surface_min=50, surface_max=70, monthly_budget=1200)
        second = DemandFactory(surface_min=40, surface_max=90, monthly_budget=950)
        third = DemandFactory(surface_min=60, surface_max=100, monthly_budget=900)
        already = DemandFactory(surface_min=50, surface_max=70, monthly_budget=1300)
        Proposal.objects.create(demand=already, premises=premises, origin="team")
        DemandFactory(premises_kind="office")  # does not match at all

    response = staff.post(
        f"/gestion/propositions/locaux/{premises.pk}/meilleures-demandes/",
        {"count": "2", "message": "Bel emplacement\x07 près du marché."},
        follow=True,
    )

    assert "Local proposé à 2 demandes" in response.text
    with in_town(town_a):
        made = Proposal.objects.exclude(demand=already)
        assert {p.demand_id for p in made} == {best.pk, second.pk}
        assert {p.message for p in made} == {"Bel emplacement près du marché."}
    assert third.reference in response.text  # still offered, not proposed


@pytest.mark.parametrize(
    ("count", "error"),
    [
        ("", "Indiquez à combien de demandes proposer le local."),
        ("abc", "Indiquez un nombre de demandes, en chiffres."),
        ("0", "Proposez le local à une demande au moins."),
        ("-3", "Proposez le local à une demande au moins."),
        ("21", "Proposez le local à 20 demandes au plus à la fois."),
        ("1e9", "Indiquez un nombre de demandes, en chiffres."),
        ("<script>alert(1)</script>", "Indiquez un nombre de demandes, en chiffres."),
        ("99999999999999999999999", "Proposez le local à 20 demandes au plus à la fois."),
    ],
)
def test_hostile_counts_are_explained_and_propose_nothing(
    town_a, staff, demand, premises, in_town, count, error
):
    response = staff.post(
        f"/gestion/propositions/locaux/{premises.pk}/meilleures-demandes/",
        {"count": count, "message": "x" * 5000},
        follow=True,
    )
    assert error in response.text
    assert "<script>alert(1)</script>" not in response.text
    with in_town(town_a):
        assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("message", "error"),
    [("x" * 1001, "1000 caractères"), ("nul\x00", "Le caractère nul n’est pas autorisé.")],
)
def test_a_hostile_message_is_refused(town_a, staff, demand, premises, in_town, message, error):
    response = staff.post(
        f"/gestion/propositions/locaux/{premises.pk}/meilleures-demandes/",
        {"count": "3", "message": message},
        follow=True,
    )
    assert error in response.text
    with in_town(town_a):
        assert not Proposal.objects.exists()


def test_let_premises_and_closed_demands_are_not_proposed(town_a, staff, demand, in_town):
    with in_town(town_a):
        let = PremisesFactory(state="let")
        closed = DemandFactory(status="installed")
        vacant = PremisesFactory()
    assert "n’est plus disponible" in staff.post(propose_url(demand, let), follow=True).text
    assert "n’est plus en cours" in staff.post(propose_url(closed, vacant), follow=True).text
    best = staff.post(
        f"/gestion/propositions/locaux/{let.pk}/meilleures-demandes/", {"count": "5"}, follow=True
    )
    assert "n’est plus disponible" in best.text
    with in_town(town_a):
        assert not Proposal.objects.exists()


def test_read_only_staff_see_proposals_but_cannot_propose(town_a, demand, premises, in_town):
    reader = logged_in_client(town_a, MembershipFactory(territory=town_a, role="read_only").user)
    page = reader.get(f"/gestion/demandes/{demand.reference}/").text
    assert "12 rue des Arcades" in page and propose_url(demand, premises) not in page
    assert reader.post(propose_url(demand, premises)).status_code == 403
    best = f"/gestion/propositions/locaux/{premises.pk}/meilleures-demandes/"
    assert reader.post(best, {"count": "5"}).status_code == 403
    with in_town(town_a):
        assert not Proposal.objects.exists()


def test_a_premises_of_town_a_is_never_proposed_in_town_b(
    town_a, town_b, demand, premises, in_town
):
    with in_town(town_b):
        # Ids that do not exist in the other town: a refusal cannot come from a collision.
        demand_b = DemandFactory(pk=demand.pk + 1000)
        premises_b = PremisesFactory(pk=premises.pk + 1000)
    staff_b = logged_in_client(town_b, MembershipFactory(territory=town_b, role="admin").user)

    assert staff_b.post(propose_url(demand_b, premises)).status_code == 404
    assert staff_b.post(propose_url(demand, premises_b)).status_code == 404
    best = f"/gestion/propositions/locaux/{premises.pk}/meilleures-demandes/"
    assert staff_b.post(best, {"count": "5"}).status_code == 404
    # Town A's staff on town B's site are not town B's staff.
    staff_a_on_b = logged_in_client(town_b, MembershipFactory(territory=town_a).user)
    assert staff_a_on_b.post(propose_url(demand_b, premises_b)).status_code == 403
    with in_town(town_a):
        assert not Proposal.objects.exists()
    with in_town(town_b):
        assert not Proposal.objects.exists()


def test_a_refused_premises_is_shown_as_such_in_the_matches(
    town_a, staff, demand, premises, in_town
):
    with in_town(town_a):
        Proposal.objects.create(
            demand=demand, premises=premises, origin="team", answer="declined", reason="price"
        )
        from tenant_apps.premises.matching import refresh_for_premises

        refresh_for_premises(premises.pk)
    for path in (
        f"/gestion/demandes/{demand.reference}/",
        f"/gestion/locaux/{premises.pk}/",
        "/gestion/locaux/correspondances/",
    ):
        page = staff.get(path).text
        assert "Refusé" in page, path
    assert "Refusé : le prix" in staff.get(f"/gestion/demandes/{demand.reference}/").text


def test_the_pipeline_has_a_visit_step_the_team_moves_on(town_a, staff, demand, in_town, reload):
    page = staff.get(f"/gestion/demandes/{demand.reference}/").text
    assert '<option value="visit">Visite</option>' in page  # a qualified demand may go there
    with in_town(town_a):
        demand.transition_to("visit", check=False)
    staff.post(f"/gestion/demandes/{demand.reference}/statut/", {"status": "premises_found"})
    assert reload(town_a, demand).status == "premises_found"
    assert "visit" in OPEN_STATUSES  # still in the inbox, still matched to premises
