"""« Ce local m'intéresse » from the catalogue: a porteur recognised through their
follow-up link in one click, one with an emailed link, a new porteur through the usual
form pre-filled from the premises; the team and the managing partner see it."""

import re

import pytest
from django.core import mail

from tenant_apps.demands.models import Demand, DemandEvent
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.proposals.models import Proposal
from tests.conftest import client_for
from tests.factories import AreaFactory, DemandFactory, PremisesFactory
from tests.jobs import run_jobs
from tests.tenant_apps.demands.helpers import CONTACT, PROJECT, SUPPORT

pytestmark = pytest.mark.django_db

BUTTON = "Ce local m’intéresse</button>"


def test_a_porteur_from_their_followup_page_says_ce_local_m_interesse(
    town_a, porteur, demand, premises, agent, in_town, reload
):
    anonymous = client_for(town_a).get(f"/locaux/{premises.pk}/").text
    assert BUTTON not in anonymous and f"/demande/?local={premises.pk}" in anonymous

    assert (
        f"/suivi/{demand.token}/propositions/locaux/" in porteur.get(f"/suivi/{demand.token}/").text
    )
    browse = porteur.get(f"/suivi/{demand.token}/propositions/locaux/")
    assert browse.status_code == 302 and browse["Location"] == "/locaux/"
    page = porteur.get(f"/locaux/{premises.pk}/").text
    assert BUTTON in page and demand.reference in page
    assert demand.token not in porteur.get("/locaux/").text  # never in a public page's links

    response = porteur.post(f"/suivi/{demand.token}/propositions/interet/{premises.pk}/")

    assert response["Location"] == f"/suivi/{demand.token}/#propositions"
    with in_town(town_a):
        interest = Proposal.objects.get()
        assert (interest.origin, interest.answer) == ("interest", "interested")
        assert DemandEvent.objects.filter(demand=demand, kind="interested").exists()
        told = OutboundEmail.objects.get(to=agent.email)  # the whole team: nobody follows it
        assert "Un porteur s’intéresse à un local" in told.subject
    assert reload(town_a, demand).status == "visit"
    followup = porteur.get(response["Location"]).text
    assert "sait que ce local vous intéresse" in followup and "12 rue des Arcades" in followup
    assert "Vous avez signalé votre intérêt" in porteur.get(f"/locaux/{premises.pk}/").text
    # Twice is once.
    porteur.post(f"/suivi/{demand.token}/propositions/interet/{premises.pk}/")
    with in_town(town_a):
        assert Proposal.objects.count() == 1
        assert DemandEvent.objects.filter(kind="interested").count() == 1


def test_interest_in_a_premises_already_proposed_is_an_interested_answer(
    town_a, porteur, staff, demand, premises, in_town
):
    staff.post(f"/gestion/propositions/demandes/{demand.reference}/locaux/{premises.pk}/")
    porteur.post(f"/suivi/{demand.token}/propositions/interet/{premises.pk}/")
    with in_town(town_a):
        proposal = Proposal.objects.get()
        assert (proposal.origin, proposal.answer) == ("team", "interested")


def test_only_published_premises_and_live_demands(town_a, porteur, demand, in_town, snapshot):
    with in_town(town_a):
        draft = PremisesFactory()  # not published
        closed = DemandFactory(status="installed")
        closed.token = closed.followup_token()
        published = PremisesFactory(is_published=True)
    before = snapshot(town_a)
    assert (
        porteur.post(f"/suivi/{demand.token}/propositions/interet/{draft.pk}/").status_code == 404
    )
    response = porteur.post(
        f"/suivi/{closed.token}/propositions/interet/{published.pk}/", follow=True
    )
    assert "Votre demande est close." in response.text
    assert snapshot(town_a) == before


def test_the_managing_partner_hears_of_it_without_who_the_porteur_is(
    town_a, porteur, demand, in_town, agency
):
    with in_town(town_a):
        managed = PremisesFactory(is_published=True, managing_partner=agency.partner)
    porteur.post(f"/suivi/{demand.token}/propositions/interet/{managed.pk}/")
    with in_town(town_a):
        told = OutboundEmail.objects.get(to=agency.user.email)
    assert "Un porteur de projet veut visiter votre local" in told.subject
    assert demand.reference in told.body and "/partenaires/propositions/locaux/" in told.body
    for private in ("Inès", "Moreau", "ines.moreau@example.fr"):
        assert private not in told.body

    portal = agency.client.get(f"/partenaires/propositions/locaux/{managed.pk}/").text
    assert demand.reference in portal and "Intérêt du porteur" in portal
    assert "Moreau" not in portal
    assert "1 porteur intéressé" in agency.client.get("/partenaires/locaux/").text
    # The demand is the partner's to see now, even outside its alert settings; the
    # porteur's identity only after an introduction by the town.
    with in_town(town_a):
        from tenant_apps.network.models import NetworkMember

        NetworkMember.objects.filter(partner=agency.partner).update(premises_kinds=["office"])
    page = agency.client.get(f"/partenaires/demandes/{demand.reference}/")
    assert page.status_code == 200 and "Épicerie vrac" in page.text
    assert "ines.moreau@example.fr" not in page.text


def test_staff_see_interests_on_the_demand_and_the_premises(
    town_a, porteur, staff, demand, premises
):
    porteur.post(f"/suivi/{demand.token}/propositions/interet/{premises.pk}/")
    demand_page = staff.get(f"/gestion/demandes/{demand.reference}/").text
    premises_page = staff.get(f"/gestion/locaux/{premises.pk}/").text
    assert "Intérêt du porteur" in demand_page and "12 rue des Arcades" in demand_page
    assert "Intérêt du porteur" in premises_page and demand.reference in premises_page


def test_a_porteur_without_their_link_gets_one_by_email(
    town_a, demand, premises, in_town, snapshot
):
    visitor = client_for(town_a)
    before = snapshot(town_a)
    unknown = visitor.post(f"/locaux/{premises.pk}/interet/", {"email": "inconnu@example.fr"})
    known = visitor.post(f"/locaux/{premises.pk}/interet/", {"email": "INES.moreau@example.fr"})
    assert "Regardez vos courriels" in unknown.text and "Regardez vos courriels" in known.text
    assert unknown["Cache-Control"] == "no-store"
    run_jobs()
    [message] = mail.outbox
    assert message.to == ["ines.moreau@example.fr"]
    link = re.search(r"https?://\S+/propositions/interet/\d+/", message.body).group(0)
    path = "/" + link.split("/", 3)[3]
    with in_town(town_a):
        assert not Proposal.objects.exists()  # nothing until the porteur confirms

    confirm = visitor.get(path)
    assert confirm.status_code == 200 and BUTTON in confirm.text
    visitor.post(path)
    with in_town(town_a):
        assert Proposal.objects.get().origin == "interest"
    assert snapshot(town_a) != before


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("", "Indiquez votre adresse électronique."),
        ("pas-une-adresse", "Cette adresse électronique n’est pas valide."),
        ("<script>@x", "Cette adresse électronique n’est pas valide."),
        ("a" * 300 + "@example.fr", "254 caractères"),
    ],
)
def test_hostile_addresses_are_explained(town_a, premises, snapshot, email, error):
    before = snapshot(town_a)
    response = client_for(town_a).post(f"/locaux/{premises.pk}/interet/", {"email": email})
    assert response.status_code == 400 and error in response.text
    assert "<script>@x" not in response.text
    assert snapshot(town_a) == before


def test_emailed_links_are_rate_limited(town_a, premises, settings):
    settings.FOLLOWUP_LINK_REQUESTS_PER_HOUR = 2
    visitor = client_for(town_a)
    statuses = [
        visitor.post(f"/locaux/{premises.pk}/interet/", {"email": "x@example.fr"}).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_a_new_porteur_starts_their_demand_from_the_premises(town_a, in_town, agent):
    with in_town(town_a):
        centre = AreaFactory(name="Centre ancien")
        premises = PremisesFactory(
            is_published=True, surface=60, monthly_rent=950, area=centre, address="3 place Vieille"
        )
    visitor = client_for(town_a)

    first = visitor.get(f"/demande/?local={premises.pk}")
    assert "Votre demande partira avec votre intérêt pour le local" in first.text
    visitor.post("/demande/", PROJECT)
    step = visitor.get("/demande/local/").text
    for value in ('value="48"', 'value="72"', 'value="950"', 'value="shop" selected'):
        assert value in step, value
    assert re.search(rf'value="{centre.pk}"[^>]*checked', step)

    visitor.post(
        "/demande/local/",
        {"premises_kind": "shop", "surface_min": "48", "surface_max": "72",
         "monthly_budget": "950", "areas": [str(centre.pk)]},
    )  # fmt: skip
    visitor.post("/demande/accompagnement/", SUPPORT)
    done = visitor.post("/demande/contact/", CONTACT, follow=True)

    assert "L’équipe sait que le local 3 place Vieille vous intéresse." in done.text
    with in_town(town_a):
        demand = Demand.objects.get(applicant__email=CONTACT["email"])
        proposal = Proposal.objects.get(demand=demand)
        assert (proposal.premises, proposal.origin, proposal.answer) == (
            premises,
            "interest",
            "interested",
        )
        assert list(demand.events.values_list("kind", flat=True)) == ["submitted", "interested"]
        assert demand.status == "new"  # the team qualifies it first


@pytest.mark.parametrize(
    "value",
    ["abc", "-1", "99999999999999999999999", "1 OR 1=1", "<script>", "", "{unpublished}"],
)
def test_hostile_premises_in_the_form_link_prefill_nothing(town_a, in_town, value):
    with in_town(town_a):
        unpublished = PremisesFactory()
    visitor = client_for(town_a)
    response = visitor.get("/demande/", {"local": value.format(unpublished=unpublished.pk)})
    assert response.status_code == 200
    assert "Votre demande partira avec" not in response.text
    visitor.post("/demande/", PROJECT)
    assert 'value="shop" selected' not in visitor.get("/demande/local/").text


def test_a_premises_of_town_a_prefills_nothing_on_town_b(town_a, town_b, in_town):
    with in_town(town_a):
        premises = PremisesFactory(is_published=True, pk=424_242)
    response = client_for(town_b).get(f"/demande/?local={premises.pk}")
    assert "Votre demande partira avec" not in response.text
