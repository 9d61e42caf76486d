"""Partner registration: SIRET look-up (answers in the API's documented format, served
from a local stub — never the network), code, organisation joined rather than
duplicated, join requests and invitations on a town."""

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail

from shared_apps.partners.models import Partner, PartnerMember
from tenant_apps.network.models import NetworkMember
from tenants.models import Territory
from tests.conftest import client_for, logged_in_client
from tests.factories import MembershipFactory, PartnerFactory, PartnerMemberFactory, UserFactory
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db
RESPONSES = Path(__file__).parent / "responses"
SIRET = "55210055400013"


class FakeApi(BaseHTTPRequestHandler):
    delay = 0

    def do_GET(self):  # noqa: N802 — http.server's name
        time.sleep(self.delay)
        query = parse_qs(urlsplit(self.path).query)
        name = "siret_83300.json" if query.get("q") == [SIRET] else "empty.json"
        body = (RESPONSES / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def api(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.ENTREPRISES_API_URL = f"http://127.0.0.1:{server.server_port}/search"
    settings.ENTREPRISES_API_TIMEOUT = 1
    yield server
    FakeApi.delay = 0
    server.shutdown()
    server.server_close()


FORM = {
    "siret": SIRET,
    "name": "",
    "kind": "estate_agency",
    "address": "",
    "postcode": "",
    "city": "",
    "website": "",
    "phone": "",
    "departments": "83",
    "first_name": "Claire",
    "last_name": "Martin",
    "email": "claire@immovar.fr",
    "accept_terms": "on",
}


def register(client, data=None, lookup=False, search=False):
    data = {**FORM, **(data or {})}
    if lookup:
        data["lookup"] = "1"
    if search:
        data["search_places"] = "1"
    return client.post("/partenaires/inscription/", data)


def code_from_outbox():
    run_jobs()  # the code goes through the email queue
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_the_siret_look_up_fills_the_form_and_keeps_what_was_typed(client, api, commune_83):
    response = register(client, {"first_name": "Claire"}, lookup=True)
    assert response.status_code == 200
    assert "Établissement trouvé : IMMOBILIERE DU VAR" in response.text
    assert 'value="12 BOULEVARD GEORGES CLEMENCEAU"' in response.text
    assert 'value="83300"' in response.text and 'value="DRAGUIGNAN"' in response.text
    assert 'value="Claire"' in response.text


def test_an_unknown_siret_says_so(client, api, commune_83):
    response = register(client, {"siret": "73282932000074"}, lookup=True)
    assert "Aucun établissement ne porte le SIRET 73282932000074" in response.text


def test_a_slow_or_unreachable_api_leaves_the_form_usable_by_hand(
    client, api, settings, commune_83
):
    FakeApi.delay = 2  # longer than the 1 s timeout
    slow = register(client, lookup=True)
    assert "ne répond pas" in slow.text and 'value="claire@immovar.fr"' in slow.text
    settings.ENTREPRISES_API_URL = "http://127.0.0.1:9/search"  # nothing listens there
    down = client.get(f"/partenaires/siret/?siret={SIRET}")
    assert down.status_code == 503 and "à la main" in down.json()["error"]
    by_hand = register(client, {"name": "Immobilière du Var"})
    assert by_hand.status_code == 302


def test_a_wrong_siret_is_refused_in_french_and_nothing_is_lost(client, commune_83):
    response = register(client, {"siret": "55210055400014", "name": "Immo"})
    assert response.status_code == 400
    assert "Ce SIRET n’existe pas" in response.text
    assert 'value="claire@immovar.fr"' in response.text and 'value="Immo"' in response.text


def test_an_unknown_department_is_refused(client, commune_83):
    response = register(client, {"name": "Immo", "departments": "83, 99"})
    assert "Département inconnu : 99" in response.text


@pytest.fixture
def commune_83(db):
    from shared_apps.referential.models import Commune

    return Commune.objects.create(insee_code="83050", name="Draguignan", department="83")


def test_registration_creates_the_organisation_and_signs_in(client, commune_83):
    assert register(client, {"name": "Immobilière du Var"}).status_code == 302
    page = client.post("/partenaires/inscription/code/", {"code": code_from_outbox()})
    assert page.status_code == 302
    partner = Partner.objects.get(siret=SIRET)
    assert partner.siren == SIRET[:9] and partner.coverage_departments == ["83"]
    member = PartnerMember.objects.get(partner=partner)
    assert member.user.email == "claire@immovar.fr" and not member.user.has_usable_password()
    assert client.get("/partenaires/").status_code == 200


def test_an_organisation_already_in_the_directory_is_joined_not_duplicated(client, commune_83):
    existing = PartnerFactory(
        name="Immobilière du Var", siret="55210055400021", email="contact@immovar.fr"
    )  # same SIREN
    register(client, {"name": "Un autre nom"})
    client.post("/partenaires/inscription/code/", {"code": code_from_outbox()})
    assert Partner.objects.filter(siren=SIRET[:9]).count() == 1
    member = PartnerMember.objects.get(user__email="claire@immovar.fr")
    assert member.partner == existing


def test_an_address_on_the_organisations_domain_joins_nothing_by_itself(client, commune_83):
    """An email domain proves nothing (a shared host, a former employee's forwarding):
    every newcomer waits for a member, and with no member, for the ANCT, who is told."""
    agency = PartnerFactory(
        name="Immobilière du Var",
        siret=SIRET,
        email="contact@immovar.fr",
        website="https://immovar.fr",
    )
    anct_agent = UserFactory(anct=True, email="moderation@anct.gouv.fr")
    register(client, {"name": "X", "email": "claire@immovar.fr"})
    client.post("/partenaires/inscription/code/", {"code": code_from_outbox()})

    newcomer = PartnerMember.objects.get(user__email="claire@immovar.fr")
    assert newcomer.partner == agency and not newcomer.is_approved
    run_jobs()
    asked = [m for m in mail.outbox if "demande à rejoindre" in m.subject]
    assert [m.to for m in asked] == [[anct_agent.email]]
    assert "/console/partenaires/" in asked[0].body


def test_a_stranger_knowing_the_siret_waits_for_a_members_approval(client, commune_83, town_a):
    """A SIRET is public: joining an organisation from another domain needs a member's yes."""
    agency = PartnerFactory(name="Immobilière du Var", siret=SIRET, email="contact@immovar.fr")
    colleague = PartnerMemberFactory(partner=agency, user__email="chef@immovar.fr")
    with in_town_of(town_a):
        NetworkMember.objects.create(partner=agency, status="active")
    register(client, {"name": "X", "email": "intrus@gmail.com"})
    client.post("/partenaires/inscription/code/", {"code": code_from_outbox()})
    stranger = PartnerMember.objects.get(user__email="intrus@gmail.com")
    assert not stranger.is_approved
    run_jobs()
    assert any(
        "chef@immovar.fr" in m.to and "demande à rejoindre" in m.subject for m in mail.outbox
    )
    assert "Demande en attente" in client.get("/partenaires/").text
    assert "intrus@gmail.com" not in agency.recipients
    portal = logged_in_client(town_a, stranger.user)
    assert portal.get("/partenaires/demandes/").status_code == 302  # no access meanwhile

    boss = client_for_national()
    boss.force_login(colleague.user)
    assert "intrus@gmail.com" in boss.get("/partenaires/").text
    boss.post(f"/partenaires/membres/{stranger.pk}/accepter/")
    stranger.refresh_from_db()
    assert stranger.is_approved and portal.get("/partenaires/demandes/").status_code == 200


def test_only_the_organisations_members_decide_and_a_refusal_removes_the_request(
    client, commune_83
):
    agency = PartnerFactory(siret=SIRET, email="contact@immovar.fr")
    PartnerMemberFactory(partner=agency, user__email="chef@immovar.fr")
    other = PartnerMemberFactory(user__email="autre@ailleurs.fr")
    register(client, {"name": "X", "email": "intrus@gmail.com"})
    client.post("/partenaires/inscription/code/", {"code": code_from_outbox()})
    stranger = PartnerMember.objects.get(user__email="intrus@gmail.com")
    outsider = client_for_national()
    outsider.force_login(other.user)
    assert outsider.post(f"/partenaires/membres/{stranger.pk}/accepter/").status_code == 403
    client.force_login(stranger.user)  # nor can the candidate approve themself
    assert client.post(f"/partenaires/membres/{stranger.pk}/accepter/").status_code == 403
    boss = client_for_national()
    boss.force_login(PartnerMember.objects.get(user__email="chef@immovar.fr").user)
    boss.post(f"/partenaires/membres/{stranger.pk}/refuser/")
    assert not PartnerMember.objects.filter(pk=stranger.pk).exists()


def client_for_national():
    from django.conf import settings

    from tests.conftest import TownClient

    return TownClient(HTTP_HOST=settings.BASE_DOMAIN)


def in_town_of(town):
    from django_tenants.utils import schema_context

    return schema_context(town.schema_name)


def test_a_wrong_code_is_refused(client, commune_83):
    register(client, {"name": "Immo"})
    code_from_outbox()
    response = client.post("/partenaires/inscription/code/", {"code": "000000"})
    assert "Ce code n’est pas le bon" in response.text
    assert not Partner.objects.filter(siret=SIRET).exists()


def test_registering_on_a_town_asks_to_join_it_and_tells_its_admins(town_a, in_town, commune_83):
    admin = MembershipFactory(territory=town_a, role="admin", user__email="admin@ville-a.fr")
    client = client_for(town_a)
    register(client, {"name": "Immobilière du Var"})
    client.post("/partenaires/inscription/code/", {"code": code_from_outbox()})
    partner = Partner.objects.get(siret=SIRET)
    with in_town(town_a):
        assert NetworkMember.objects.get(partner=partner).status == "requested"
    run_jobs()
    assert any(admin.user.email in m.to and partner.name in m.subject for m in mail.outbox)
    # The partner waits; the admin accepts from the back-office; the partner is told.
    assert "Demande en attente" in client.get("/partenaires/").text
    staff = logged_in_client(town_a, admin.user)
    with in_town(town_a):
        pk = NetworkMember.objects.get(partner=partner).pk
    staff.post(f"/gestion/partenaires/{pk}/decision/", {"decision": "accept"})
    run_jobs()
    assert any("claire@immovar.fr" in m.to and "Bienvenue" in m.subject for m in mail.outbox)
    assert client.get("/partenaires/").status_code == 302  # now straight to the demands


def test_only_admins_decide_and_agents_see_the_network(town_a, in_town):
    agent = MembershipFactory(territory=town_a, role="agent").user
    with in_town(town_a):
        pk = NetworkMember.objects.create(partner=PartnerFactory()).pk
    client = logged_in_client(town_a, agent)
    assert client.get("/gestion/partenaires/").status_code == 200
    assert (
        client.post(f"/gestion/partenaires/{pk}/decision/", {"decision": "accept"}).status_code
        == 403
    )


def test_an_invited_partner_joins_at_once(town_a, in_town, commune_83):
    Territory.objects.filter(pk=town_a.pk).update(official_code="83050")
    admin = MembershipFactory(territory=town_a, role="admin").user
    staff = logged_in_client(town_a, admin)
    bad = staff.post("/gestion/partenaires/inviter/", {"email": "pas-une-adresse"})
    assert bad.status_code == 400 and "pas-une-adresse" in bad.text
    partner = PartnerFactory(email="contact@foncia.fr")
    staff.post("/gestion/partenaires/inviter/", {"partner": partner.pk})
    run_jobs()
    assert any("contact@foncia.fr" in m.to and "vous invite" in m.subject for m in mail.outbox)
    with in_town(town_a):
        assert NetworkMember.objects.get(partner=partner).status == "invited"
    member = PartnerMemberFactory(partner=partner)
    partner_client = logged_in_client(town_a, member.user)
    partner_client.post("/partenaires/rejoindre/")
    with in_town(town_a):
        assert NetworkMember.objects.get(partner=partner).status == "active"


def test_the_directory_shows_partners_covering_the_town(town_a, in_town, commune_83):
    Territory.objects.filter(pk=town_a.pk).update(official_code="83050")
    admin = MembershipFactory(territory=town_a, role="admin").user
    PartnerFactory(name="Agence du Var", coverage_departments=["83"])
    PartnerFactory(name="Agence de Corse", coverage_departments=["2B"])
    page = logged_in_client(town_a, admin).get("/gestion/partenaires/")
    assert "Agence du Var" in page.text and "Agence de Corse" not in page.text


def test_the_look_up_endpoint_answers_json(client, api):
    found = client.get(f"/partenaires/siret/?siret={SIRET}").json()["found"]
    assert found["name"] == "IMMOBILIERE DU VAR (AGENCE DU CENTRE)"
    assert client.get("/partenaires/siret/?siret=123").status_code == 400
    assert json.loads(client.get("/partenaires/siret/?siret=123").content)["error"]


def test_a_partner_picks_the_communes_and_epci_it_covers_by_name(client, commune_83, town_a):
    from shared_apps.referential.models import Epci

    Epci.objects.create(siren="200035087", name="CA Dracénie Provence Verdon", kind="CA")
    searched = register(client, {"departments": "", "place_query": "dragui"}, search=True)
    assert searched.status_code == 200
    assert 'value="commune:83050"' in searched.text and "Draguignan (83) — commune" in searched.text
    assert 'value="Claire"' in searched.text  # nothing typed is lost
    assert "fr-error-text" not in searched.text  # a search is not a submission
    # What is ticked stays ticked through another search.
    again = register(
        client,
        {"departments": "", "place_query": "DRACENIE", "places": ["commune:83050"]},
        search=True,
    )
    assert 'value="epci:200035087"' in again.text
    assert re.search(r'value="commune:83050"[^>]*checked', again.text)
    nothing = register(client, {"departments": "", "place_query": "Zzyzx"}, search=True)
    assert "Aucune commune ni intercommunalité ne correspond à « Zzyzx »" in nothing.text

    forged = register(client, {"name": "Immo", "departments": "", "places": ["commune:99999"]})
    assert forged.status_code == 400
    assert "Choisissez les communes et intercommunalités parmi les résultats" in forged.text
    none = register(client, {"name": "Immo", "departments": "", "places": []})
    assert "au moins un département, une commune" in none.text
    register(
        client,
        {"name": "Immo", "departments": "", "places": ["commune:83050", "epci:200035087"]},
    )
    client.post("/partenaires/inscription/code/", {"code": code_from_outbox()})
    partner = Partner.objects.get(siret=SIRET)
    assert partner.coverage_departments == []
    assert list(partner.coverage_communes.values_list("pk", flat=True)) == ["83050"]
    assert list(partner.coverage_epcis.values_list("pk", flat=True)) == ["200035087"]
    Territory.objects.filter(pk=town_a.pk).update(official_code="83050")
    town_a.refresh_from_db()
    assert list(Partner.objects.covering(town_a)) == [partner]


def test_a_partner_joins_towns_of_its_territory_from_the_national_site(
    client, town_a, town_b, in_town, commune_83
):
    Territory.objects.filter(pk=town_a.pk).update(official_code="83050")
    member = PartnerMemberFactory(partner__coverage_departments=["83"])
    client.force_login(member.user)
    home = client.get("/partenaires/")
    assert "Ville A" in home.text and "Ville B" not in home.text
    assert client.post(f"/partenaires/collectivites/{town_b.pk}/rejoindre/").status_code == 404
    client.post(f"/partenaires/collectivites/{town_a.pk}/rejoindre/")
    with in_town(town_a):
        assert NetworkMember.objects.get(partner=member.partner).status == "requested"
    assert "Demande en attente" in client.get("/partenaires/").text


def test_a_stranger_can_no_longer_read_an_organisations_introductions(client, commune_83, town_a):
    """Knowing the public SIRET and having an address on the organisation's email domain
    gave an approved membership, then the porteurs' names and emails of its
    introductions. Now the stranger waits, sees nothing, and the members are told."""
    from tenant_apps.demands.models import Introduction
    from tests.factories import DemandFactory

    agency = PartnerFactory(name="Immobilière du Var", siret=SIRET, email="contact@immovar.fr")
    PartnerMemberFactory(partner=agency, user__email="chef@immovar.fr")
    with in_town_of(town_a):
        NetworkMember.objects.create(partner=agency, status="active")
        demand = DemandFactory(
            consent_to_share=True, applicant__email="porteuse.secrete@example.fr"
        )
        Introduction.objects.create(demand=demand, partner=agency)

    register(client, {"name": "X", "email": "intrus@immovar.fr"})
    client.post("/partenaires/inscription/code/", {"code": code_from_outbox()})

    stranger = PartnerMember.objects.get(user__email="intrus@immovar.fr")
    assert not stranger.is_approved
    portal = logged_in_client(town_a, stranger.user)
    for path in ("/partenaires/demandes/", f"/partenaires/demandes/{demand.reference}/"):
        response = portal.get(path)
        assert response.status_code in (302, 403, 404), path
        assert b"porteuse.secrete@example.fr" not in response.content
    run_jobs()
    assert any(
        "chef@immovar.fr" in m.to and "demande à rejoindre" in m.subject for m in mail.outbox
    )
