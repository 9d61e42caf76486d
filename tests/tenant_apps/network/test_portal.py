"""The partner portal: what a partner sees of a town, and never of another one."""

import re

import pytest

from tenant_apps.demands.models import Introduction
from tenant_apps.demands.services import introduce
from tenant_apps.network.models import Alert
from tests.conftest import client_for, logged_in_client
from tests.factories import (
    DemandFactory,
    MembershipFactory,
    NetworkMemberFactory,
    PartnerMemberFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(town_a, in_town):
    """An agency in town A's network, signed in on town A."""
    member = PartnerMemberFactory(partner__name="Agence du Centre")
    with in_town(town_a):
        NetworkMemberFactory(partner=member.partner)
    return member


@pytest.fixture
def agent(town_a):
    return MembershipFactory(territory=town_a, role="agent").user


def test_the_portal_lists_open_matching_demands_without_identity(town_a, agency, in_town):
    with in_town(town_a):
        demand = DemandFactory(activity="Fromagerie", description="Ma fromagerie rue X")
        DemandFactory(activity="Cabinet infirmier", premises_kind="office", status="installed")
    page = logged_in_client(town_a, agency.user).get("/partenaires/demandes/")
    assert "Fromagerie" in page.text and "Cabinet infirmier" not in page.text
    assert demand.applicant.email not in page.text
    assert demand.applicant.last_name not in page.text
    assert "Ma fromagerie rue X" not in page.text  # the porteur's own words stay private


def test_identity_only_after_introduction_and_with_consent(town_a, agency, in_town):
    with in_town(town_a):
        consenting = DemandFactory(consent_to_share=True)
        refusing = DemandFactory(consent_to_share=False)
        staff = MembershipFactory(territory=town_a, role="agent").user
    client = logged_in_client(town_a, agency.user)

    before = client.get(f"/partenaires/demandes/{consenting.reference}/")
    assert consenting.applicant.email not in before.text
    with in_town(town_a):
        introduce(town_a, consenting, agency.partner, by=staff)
        # A porteur who refused cannot be introduced; their identity is never shown.
        Introduction.objects.create(demand=refusing, partner=agency.partner, created_by=staff)
    after = client.get(f"/partenaires/demandes/{consenting.reference}/")
    assert consenting.applicant.email in after.text
    refused = client.get(f"/partenaires/demandes/{refusing.reference}/")
    assert refusing.applicant.email not in refused.text


def test_answering_from_the_portal_is_recorded(town_a, agency, in_town):
    with in_town(town_a):
        demand = DemandFactory()
    client = logged_in_client(town_a, agency.user)
    client.post(f"/partenaires/demandes/{demand.reference}/reponse/", {"answer": "maybe"})
    bad = client.post(f"/partenaires/demandes/{demand.reference}/reponse/", {"answer": "x"})
    assert bad.status_code == 302
    with in_town(town_a):
        assert Alert.objects.get(partner=agency.partner, demand=demand).answer == "maybe"
        assert demand.events.filter(kind="partner_answered").count() == 1


def test_alert_settings_are_validated_and_kept(town_a, agency, in_town):
    client = logged_in_client(town_a, agency.user)
    bad = client.post(
        "/partenaires/alertes/",
        {"frequency": "daily", "surface_min": "200", "surface_max": "50", "alerts_enabled": "on"},
    )
    assert bad.status_code == 400 and "La surface minimale dépasse le maximum" in bad.text
    assert 'value="200"' in bad.text
    client.post(
        "/partenaires/alertes/",
        {"frequency": "weekly", "premises_kinds": ["shop"], "alerts_enabled": "on"},
    )
    with in_town(town_a):
        from tenant_apps.network.models import NetworkMember

        member = NetworkMember.objects.get(partner=agency.partner)
        assert member.frequency == "weekly" and member.premises_kinds == ["shop"]


def test_a_partner_of_town_a_sees_nothing_of_town_b(town_a, town_b, agency, in_town):
    with in_town(town_b):
        secret = DemandFactory(activity="Projet secret de B")
    client = logged_in_client(town_b, agency.user)
    # Not in town B's network: the portal offers to join, nothing else.
    assert client.get("/partenaires/demandes/").status_code == 302
    assert client.get(f"/partenaires/demandes/{secret.reference}/").status_code == 302
    home = client.get("/partenaires/")
    assert "Demander à rejoindre" in home.text and "Projet secret" not in home.text
    # On town A, the demand of town B does not exist.
    on_a = logged_in_client(town_a, agency.user)
    assert on_a.get(f"/partenaires/demandes/{secret.reference}/").status_code == 404
    # Once in both networks, it sees town B's demands on town B only.
    with in_town(town_b):
        NetworkMemberFactory(partner=agency.partner)
    assert "Projet secret de B" in client.get("/partenaires/demandes/").text
    assert "Projet secret de B" not in on_a.get("/partenaires/demandes/").text


def test_portal_pages_need_a_signed_in_network_partner(town_a, agency, in_town):
    anonymous = client_for(town_a)
    for path in ("/partenaires/demandes/", "/partenaires/alertes/", "/partenaires/locaux/"):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/compte/login/" in response["Location"]
    staff = MembershipFactory(territory=town_a, role="admin").user
    assert logged_in_client(town_a, staff).get("/partenaires/demandes/").status_code == 302


def test_a_partner_manages_its_own_premises_only(town_a, agency, in_town):
    from tenant_apps.premises.models import Premises
    from tests.factories import PremisesFactory

    with in_town(town_a):
        other = PremisesFactory(address="1 place d’un autre")
    client = logged_in_client(town_a, agency.user)
    assert client.get(f"/partenaires/locaux/{other.pk}/").status_code == 404
    response = client.post(
        "/partenaires/locaux/nouveau/",
        {
            "address": "8 rue Nationale, 83300 Draguignan",
            "kind": "shop",
            "surface": "55",
            "monthly_rent": "900",
            "state": "vacant",
            "latitude": "43.5366",
            "longitude": "6.4646",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with in_town(town_a):
        mine = Premises.objects.get(address__startswith="8 rue Nationale")
        assert mine.managing_partner == agency.partner
    listing = client.get("/partenaires/locaux/")
    assert "8 rue Nationale" in listing.text and "autre" not in listing.text


def test_a_partner_signs_in_with_an_emailed_code_and_lands_on_the_portal(town_a, agency):
    from django.core import mail

    client = client_for(town_a)
    client.post("/compte/login/code/", {"email": agency.user.email})
    code = re.search(r"^(\d{6})$", mail.outbox[-1].body, re.M).group(1)
    response = client.post("/compte/login/code/confirm/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/partenaires/"
    assert client.get("/partenaires/demandes/").status_code == 200
    assert "Espace partenaires" in client.get("/").text  # in the site's navigation


def test_the_partners_pin_map_shows_its_own_premises_only(town_a, agency, in_town):
    from tests.factories import PremisesFactory

    with in_town(town_a):
        PremisesFactory(address="1 rue Secrete", managing_partner=None)
        PremisesFactory(address="2 rue des Agences", managing_partner=agency.partner)
    page = logged_in_client(town_a, agency.user).get("/partenaires/locaux/nouveau/")
    assert 'id="carte-placement"' in page.text
    assert "2 rue des Agences" in page.text and "1 rue Secrete" not in page.text


def test_the_portal_and_the_inbox_share_one_pagination(town_a, agency, agent, in_town):
    with in_town(town_a):
        DemandFactory.create_batch(30)
    portal = logged_in_client(town_a, agency.user).get("/partenaires/demandes/")
    assert 'href="?page=2">Page suivante' in portal.text
    inbox = logged_in_client(town_a, agent).get("/gestion/?q=&taille=25")
    assert '&amp;page=2">Page suivante' in inbox.text and "taille=25" in inbox.text
    assert "1 / 2" in portal.text and "1 / 2" in inbox.text
