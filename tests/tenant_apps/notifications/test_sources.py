"""Each line of a demand's timeline that calls for the team becomes a notification for
the person who follows the demand (every editor when nobody does), never for the one who
caused it; other lines, and changes rolled back, notify nobody."""

import pytest
from django.db import transaction

from tenant_apps.demands.enums import EventKind
from tenant_apps.network.models import Alert
from tenant_apps.network.services import record_answer
from tenant_apps.proposals.services import answer_proposal, express_interest, propose
from tests.conftest import client_for, logged_in_client
from tests.factories import PartnerFactory, PartnerMemberFactory, PremisesFactory
from tests.jobs import committing

pytestmark = pytest.mark.django_db


def kinds(notifications):
    return [kind for kind, _ in notifications]


def test_an_assignment_notifies_the_new_assignee_not_the_one_who_assigned(
    town_a, demand, team, inbox, in_town
):
    admin = logged_in_client(town_a, team["admin"])
    response = admin.post(
        f"/gestion/demandes/{demand.reference}/suivi/",
        {"assignee": str(team["colleague"].pk), "tags": "", "next_action_on": ""},
    )

    assert response.status_code == 302
    assert inbox(town_a, team["colleague"]) == [
        ("assignment", f"Nora Durand vous a attribué la demande {demand.reference} (Épicerie vrac)")
    ]
    assert inbox(town_a, team["admin"]) == [] and inbox(town_a, team["agent"]) == []


def test_taking_a_demand_for_oneself_notifies_nobody(town_a, demand, team, inbox, in_town):
    with in_town(town_a), committing():
        demand.assign(team["colleague"], by=team["colleague"])

    assert all(inbox(town_a, user) == [] for user in team.values())


def test_unassigning_notifies_nobody(town_a, demand, team, inbox, in_town):
    with in_town(town_a), committing():
        demand.assign(None, by=team["admin"])

    assert all(inbox(town_a, user) == [] for user in team.values())


def test_the_porteur_saying_they_still_search_from_their_page_notifies_the_assignee(
    town_a, demand, team, inbox
):
    client_for(town_a).post(f"/suivi/{demand.token}/action/", {"action": "still_searching"})

    assert inbox(town_a, team["agent"]) == [
        (
            "porteur_answer",
            f"{demand.reference} (Épicerie vrac) : le porteur confirme chercher toujours",
        )
    ]
    for name in ("colleague", "admin", "reader"):
        assert inbox(town_a, team[name]) == []


def test_the_porteur_closing_their_demand_notifies_the_assignee_with_the_outcome(
    town_a, demand, team, inbox
):
    client_for(town_a).post(
        f"/suivi/{demand.token}/action/", {"action": "gave_up", "confirmation": "oui"}
    )

    [(kind, text)] = inbox(town_a, team["agent"])
    assert kind == "porteur_answer"
    assert text.endswith("le porteur a clos sa demande — Projet abandonné ou reporté")


@pytest.mark.parametrize(
    ("act", "said"),
    [
        (lambda d: d.update_needs({"surface_max": 120}), "le porteur a mis à jour ses besoins"),
        (
            lambda d: (d.close_by_applicant("found_elsewhere"), d.reopen_by_applicant()),
            "le porteur a rouvert sa demande",
        ),
    ],
)
def test_the_porteurs_news_notify_the_assignee(town_a, demand, team, inbox, in_town, act, said):
    with in_town(town_a), committing():
        act(demand)

    assert any(text.endswith(said) for _, text in inbox(town_a, team["agent"]))
    assert inbox(town_a, team["colleague"]) == []


def test_news_of_a_demand_nobody_follows_go_to_every_editor_not_read_only_members(
    town_a, demand, team, inbox, in_town
):
    with in_town(town_a):
        demand.assignee = None
        demand.save()
        with committing():
            demand.confirm_still_searching()

    for name in ("agent", "colleague", "admin"):
        assert kinds(inbox(town_a, team[name])) == ["porteur_answer"]
    assert inbox(town_a, team["reader"]) == []


def test_news_of_a_demand_whose_assignee_left_the_team_go_to_every_editor(
    town_a, demand, team, inbox, in_town
):
    team["agent"].memberships.update(is_active=False)
    with in_town(town_a), committing():
        demand.confirm_still_searching()

    assert inbox(town_a, team["agent"]) == []
    for name in ("colleague", "admin"):
        assert kinds(inbox(town_a, team[name])) == ["porteur_answer"]


def test_whoever_caused_the_event_is_never_told_of_it(town_a, demand, team, inbox, in_town):
    with in_town(town_a):
        demand.assignee = None
        demand.save()
        with committing():
            demand.record(EventKind.UPDATED, user=team["admin"])

    assert inbox(town_a, team["admin"]) == []
    assert kinds(inbox(town_a, team["agent"])) == ["porteur_answer"]


def test_an_answer_to_a_proposal_notifies_who_proposed_it_and_who_follows_the_demand(
    town_a, demand, team, inbox, in_town
):
    with in_town(town_a):
        premises = PremisesFactory(address="12 rue des Arcades")
        with committing():
            proposal = propose(demand, premises, by=team["colleague"])
        assert inbox(town_a, team["agent"]) == []  # the team's own proposal is no news
        with committing():
            answer_proposal(proposal, "declined", reason="price")

    for name in ("agent", "colleague"):
        [(kind, text)] = inbox(town_a, team[name])
        assert kind == "porteur_answer"
        assert "le porteur a répondu à une proposition — " in text and "12 rue des Arcades" in text
    assert inbox(town_a, team["admin"]) == []


def test_interest_from_the_catalogue_notifies_the_assignee(town_a, demand, team, inbox, in_town):
    with in_town(town_a):
        premises = PremisesFactory(address="3 place du Marché", is_published=True)
        with committing():
            express_interest(demand, premises)

    [(kind, text)] = inbox(town_a, team["agent"])
    assert kind == "porteur_answer"
    assert "le porteur s’intéresse à un local" in text and "3 place du Marché" in text


def test_a_partner_who_may_have_premises_notifies_the_assignee_and_nothing_else_does(
    town_a, demand, team, inbox, in_town
):
    partner = PartnerFactory(name="Agence du Beffroi")
    with in_town(town_a):
        alert = Alert.objects.create(partner=partner, demand=demand, frequency="daily")
        with committing():
            record_answer(alert, "nothing")
        assert inbox(town_a, team["agent"]) == []
        with committing():
            record_answer(alert, "maybe")

    assert inbox(town_a, team["agent"]) == [
        (
            "partner_answer",
            f"{demand.reference} (Épicerie vrac) : Agence du Beffroi a peut-être un local",
        )
    ]


def test_a_partner_proposing_its_premises_notifies_the_assignee(
    town_a, demand, team, inbox, in_town
):
    member = PartnerMemberFactory(partner__name="Agence du Beffroi")
    with in_town(town_a):
        premises = PremisesFactory(address="8 rue Nationale", managing_partner=member.partner)
        with committing():
            propose(demand, premises, by=member.user, partner=member.partner)

    [(kind, text)] = inbox(town_a, team["agent"])
    assert kind == "partner_answer"
    assert "propose un local" in text and "8 rue Nationale" in text
    assert inbox(town_a, member.user) == []


def test_a_reply_by_email_notifies_the_assignee(town_a, demand, team, inbox, in_town):
    with in_town(town_a), committing():
        demand.record(EventKind.EMAIL_RECEIVED, "Re: votre demande", actor="porteur")

    assert inbox(town_a, team["agent"]) == [
        ("email_reply", f"{demand.reference} (Épicerie vrac) : le porteur a répondu par courriel")
    ]


def test_other_events_and_rolled_back_ones_notify_nobody(town_a, demand, team, inbox, in_town):
    with in_town(town_a), committing():
        demand.add_note(team["colleague"], "Appelée ce matin.")
        demand.transition_to("searching", user=team["colleague"])
        try:
            with transaction.atomic():
                demand.confirm_still_searching()
                raise RuntimeError("annulé")
        except RuntimeError:
            pass

    assert all(inbox(town_a, user) == [] for user in team.values())


def test_the_text_never_names_the_porteur(town_a, demand, team, inbox, in_town):
    with in_town(town_a), committing():
        demand.confirm_still_searching()

    [(_, text)] = inbox(town_a, team["agent"])
    assert "Inès" not in text and "Moreau" not in text
