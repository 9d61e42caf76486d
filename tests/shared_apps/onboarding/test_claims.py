"""Only a town opens its own space: a claim stays private until its claimant is verified
(ProConnect SIRET of the territory, or the ANCT); unverified claims expire."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from shared_apps.accounts.models import Membership
from shared_apps.national.models import AuditEntry
from shared_apps.onboarding.models import Claim
from shared_apps.onboarding.services import expire_claims
from shared_apps.onboarding.slugs import slug_choices
from shared_apps.proconnect.session import PROCONNECT_SESSION_KEY
from tenant_apps.demands.models import Demand
from tenants.enums import TerritoryKind
from tenants.models import Territory
from tests.conftest import TownClient, client_for
from tests.factories import UserFactory
from tests.proconnect_local import identity, sign_in
from tests.shared_apps.onboarding.test_onboarding import deliver, emailed_code, start
from tests.shared_apps.test_console import anct  # noqa: F401 — the console's fixture

pytestmark = pytest.mark.django_db

DRAGUIGNAN_SIRET = "21830050700017"  # the commune's SIREN 218300507 and a NIC
CAMILLE = identity("dev-eco@draguignan.demo.boursoloco.fr")


def claim_by_email(client, email="inconnu@webmail.example", choice="commune:83050", **space):
    start(client, choice=choice, email=email, **space)
    return client.post("/inscription/code/", {"code": emailed_code()})


def proconnect_client(email, siret):
    """A national-site session of someone ProConnect signed in, with its claims."""
    user = UserFactory(email=email, first_name="Camille", last_name="Martin")
    client = TownClient(HTTP_HOST="localhost")
    client.force_login(user)
    session = client.session
    session[PROCONNECT_SESSION_KEY] = {
        "email": email,
        "given_name": "Camille",
        "usual_name": "Martin",
        "siret": siret,
        "uid": "42",
        "idp_id": "fia1v2",
    }
    session.save()
    return client, user


def test_a_stranger_can_no_longer_publish_a_town(national, in_town):
    claim_by_email(national)

    town = Territory.objects.get(slug="draguignan")
    assert not town.is_verified
    visitor = client_for(town)
    for path in ("/", "/demande/", "/demande/projet/", "/partenaires/inscription/", "/locaux/"):
        page = visitor.get(path)
        assert page.status_code == 404, path
        assert "Bientôt disponible" in page.text
        assert "<form" not in page.text.split("<main")[1], path
    visitor.post("/demande/", {"activity": "Boulangerie"})
    with in_town(town):
        assert not Demand.objects.exists()
    assert "Draguignan" not in national.get("/").text


def test_the_claimant_prepares_and_previews_the_private_space(national):
    response = claim_by_email(national)
    admin = client_for(Territory.objects.get(slug="draguignan"))
    admin.get(response["Location"].split(":8000")[1])  # the welcome link signs them in

    page = admin.get("/")
    assert page.status_code == 200
    assert "Aperçu réservé à votre équipe" in page.text
    assert admin.get("/gestion/").status_code == 200


def test_an_unverified_space_is_not_taken_in_the_search_and_a_second_claimant_can_ask(
    national,
):
    claim_by_email(national)
    other = TownClient(HTTP_HOST="localhost")

    assert "Déjà sur BoursOloco" not in other.get("/inscription/?q=draguignan").text
    other.post("/inscription/", {"territoire": "commune:83050"})
    page = other.get("/inscription/espace/")
    assert "Une demande est déjà en cours pour Draguignan" in page.text
    assert 'name="slug"' not in page.text
    response = claim_by_email(other, email="dgs@mairie-draguignan.fr")

    assert response.status_code == 200
    assert "Demande enregistrée" in response.text
    town = Territory.objects.get(slug="draguignan")
    assert [c.claimant.email for c in town.claims.pending()] == [
        "inconnu@webmail.example",
        "dgs@mairie-draguignan.fr",
    ]
    # Only the first claimant prepares the private space; the second waits beside them.
    assert [m.user.email for m in Membership.objects.filter(territory=town)] == [
        "inconnu@webmail.example"
    ]


def test_a_proconnect_siret_of_the_territory_verifies_the_claim_at_once(national):
    client, user = proconnect_client("camille.martin@draguignan.fr", DRAGUIGNAN_SIRET)
    client.post("/inscription/", {"territoire": "commune:83050"})
    page = client.get("/inscription/espace/")
    assert "Vous êtes identifié(e) avec ProConnect" in page.text
    assert 'name="email"' not in page.text  # no code to type: ProConnect proved the address

    response = client.post("/inscription/espace/", {"slug": "draguignan", "accept_terms": "on"})

    town = Territory.objects.get(slug="draguignan")
    assert (town.is_verified, town.verification) == (True, "proconnect")
    assert response["Location"].startswith("http://draguignan.localhost:8000/compte/bienvenue/")
    claim = Claim.objects.get(territory=town)
    assert (claim.status, claim.proconnect_siret) == ("verified", DRAGUIGNAN_SIRET)
    assert client_for(town).get("/").status_code == 200


def test_an_agent_signed_in_through_the_real_proconnect_flow_is_verified_at_once(
    proconnect, national
):
    """The whole journey against the local OpenID provider: choose the town, press the
    ProConnect button on the address step, come back identified, open a public space."""
    national.post("/inscription/", {"territoire": "commune:83050"})
    assert "S’identifier avec" in national.get("/inscription/espace/").text

    response = sign_in(national, proconnect, CAMILLE["email"], next="/inscription/espace/")
    assert response["Location"] == "/inscription/espace/"
    national.post("/inscription/espace/", {"slug": "draguignan", "accept_terms": "on"})

    town = Territory.objects.get(slug="draguignan")
    assert (town.is_verified, town.verification) == (True, "proconnect")
    assert town.claims.get().proconnect_siret == CAMILLE["siret"]


def test_a_proconnect_siret_of_another_body_verifies_nothing(national):
    client, _ = proconnect_client("someone@agence.fr", "12345678200010")
    client.post("/inscription/", {"territoire": "commune:83050"})
    client.post("/inscription/espace/", {"slug": "draguignan", "accept_terms": "on"})

    town = Territory.objects.get(slug="draguignan")
    assert not town.is_verified
    assert town.claims.get().status == "pending"


def test_the_town_verified_by_proconnect_is_taken_from_an_unverified_stranger(national):
    claim_by_email(national)
    stranger_space = Territory.objects.get(slug="draguignan")
    client, user = proconnect_client("camille.martin@draguignan.fr", DRAGUIGNAN_SIRET)
    client.post("/inscription/", {"territoire": "commune:83050"})
    mail.outbox.clear()

    response = client.post("/inscription/espace/", {"accept_terms": "on"})

    town = Territory.objects.get(pk=stranger_space.pk)
    assert town.is_verified and town.verification == "proconnect"
    assert [m.user for m in Membership.objects.filter(territory=town)] == [user]
    assert Claim.objects.get(claimant__email="inconnu@webmail.example").status == "rejected"
    assert response["Location"].startswith("http://draguignan.localhost:8000/compte/bienvenue/")
    deliver()
    told = {message.to[0]: message.subject for message in mail.outbox}
    assert told["camille.martin@draguignan.fr"] == "L’espace de Draguignan est vérifié"
    assert "Votre demande pour l’espace de Draguignan" in told["inconnu@webmail.example"]


def test_the_anct_verifies_a_claim_in_the_console_and_the_space_opens(national, anct):  # noqa: F811
    claim_by_email(national)
    town = Territory.objects.get(slug="draguignan")
    claims_page = anct.get("/console/demandes-d-ouverture/")
    assert "inconnu@webmail.example" in claims_page.text
    assert "Adresse vérifiée par code" in claims_page.text
    claim = town.claims.get()

    confirm = anct.post(f"/console/demandes-d-ouverture/{claim.pk}/verifier/")
    assert "Confier l’espace de Draguignan" in confirm.text
    town.refresh_from_db()
    assert not town.is_verified  # nothing happens before the confirmation

    anct.post(f"/console/demandes-d-ouverture/{claim.pk}/verifier/", {"confirmation": "oui"})

    town.refresh_from_db()
    assert (town.verification, town.verified_by.is_anct_staff) == ("anct", True)
    assert client_for(town).get("/").status_code == 200
    console = anct.get("/console/").text
    assert "Vérifiée par l’ANCT" in console
    assert AuditEntry.objects.filter(action="vérification", territory=town).exists()


def test_the_anct_refuses_the_only_claim_and_the_private_space_is_deleted(
    national,
    anct,  # noqa: F811
):
    claim_by_email(national)
    claim = Claim.objects.get()

    asked = anct.post(f"/console/demandes-d-ouverture/{claim.pk}/refuser/", {"confirmation": "oui"})
    assert asked.status_code == 400 and "Indiquez le motif du refus" in asked.text
    anct.post(
        f"/console/demandes-d-ouverture/{claim.pk}/refuser/",
        {"confirmation": "oui", "reason": "Personne inconnue de la mairie."},
    )

    assert not Territory.objects.filter(slug="draguignan").exists()
    assert AuditEntry.objects.filter(action="demande refusée").exists()
    deliver()
    assert "Personne inconnue de la mairie." in mail.outbox[-1].body


def test_unverified_claims_expire_after_30_days_with_an_email_before(national):
    claim_by_email(national)
    claim = Claim.objects.get()
    mail.outbox.clear()

    Claim.objects.filter(pk=claim.pk).update(created_at=timezone.now() - timedelta(days=24))
    assert expire_claims() == (1, 0)
    assert expire_claims() == (0, 0)  # warned once
    deliver()
    assert mail.outbox[-1].subject == ("Votre demande pour l’espace de Draguignan expire bientôt")

    Claim.objects.filter(pk=claim.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert expire_claims() == (0, 1)
    assert not Territory.objects.filter(slug="draguignan").exists()
    deliver()
    assert mail.outbox[-1].subject == "Votre demande pour l’espace de Draguignan a expiré"


def test_an_expired_claim_leaves_a_space_others_still_claim(national):
    claim_by_email(national)
    claim_by_email(TownClient(HTTP_HOST="localhost"), email="dgs@mairie-draguignan.fr")
    first = Claim.objects.get(claimant__email="inconnu@webmail.example")
    Claim.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=31))

    assert expire_claims() == (0, 1)

    town = Territory.objects.get(slug="draguignan")
    assert town.claims.pending().get().claimant.email == "dgs@mairie-draguignan.fr"
    assert not Membership.objects.filter(territory=town).exists()


def test_the_console_does_not_validate_an_unverified_town(national, anct):  # noqa: F811
    claim_by_email(national)
    town = Territory.objects.get(slug="draguignan")

    anct.post(f"/console/collectivites/{town.pk}/validate/")

    town.refresh_from_db()
    assert town.status == "pre_opening"
    assert "Non vérifiée" in anct.get("/console/").text


def test_closing_a_town_in_the_console_asks_for_confirmation(town_a, anct):  # noqa: F811
    page = anct.post(f"/console/collectivites/{town_a.pk}/close/")
    town_a.refresh_from_db()
    assert town_a.status == "open"
    assert "Fermer l’espace de Ville A ?" in page.text

    anct.post(f"/console/collectivites/{town_a.pk}/close/", {"confirmation": "oui"})
    town_a.refresh_from_db()
    assert town_a.status == "closed"
    town_a.open()


@pytest.mark.parametrize(
    ("name", "kind", "department", "expected"),
    [
        ("Draguignan", "commune", "83", ["draguignan"]),
        ("La Ciotat", "commune", "13", ["la-ciotat", "ciotat"]),
        ("Saint-Lary-Soulan", "commune", "65", ["saint-lary-soulan", "st-lary-soulan"]),
        ("L’Haÿ-les-Roses", "commune", "94", ["l-hay-les-roses", "hay-les-roses"]),
        ("Eu", "commune", "76", ["eu-76"]),
        (
            "Communauté d’agglomération Dracénie Provence Verdon",
            "epci",
            "83",
            [
                "communaute-d-agglomeration-dracenie",
                "dracenie-provence-verdon",
                "dracenie-provence",
            ],
        ),
    ],
)
def test_addresses_are_derived_from_the_official_name(name, kind, department, expected):
    assert slug_choices(name, kind, department) == expected


def test_a_taken_address_gets_the_departement_number(town_a):
    assert slug_choices("Ville A", TerritoryKind.COMMUNE, "06") == ["ville-a-06"]
