"""A town opens its space alone: search, address, emailed code, welcome on its own host."""

import re

import django_rq
import pytest
from django.core import mail
from rq import SimpleWorker

from shared_apps.accounts.models import Membership
from tenants.models import Territory
from tests.conftest import TownClient

pytestmark = pytest.mark.django_db


def deliver():
    queue = django_rq.get_queue("emails")
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def start(national, choice="commune:83050", **space):
    national.post("/inscription/", {"territoire": choice})
    return national.post(
        "/inscription/espace/",
        {
            "slug": "draguignan",
            "first_name": "Nadia",
            "last_name": "Benali",
            "email": "nadia.benali@example.fr",
            "accept_terms": "on",
            **space,
        },
    )


def emailed_code():
    deliver()
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_searching_finds_communes_by_name_without_accents_and_by_postcode(national):
    by_name = national.get("/inscription/?q=draguig")
    assert "Draguignan (83)" in by_name.text
    assert "Draguignan (83)" in national.get("/inscription/?q=83300").text
    assert "Dracénie" in national.get("/inscription/?q=dracenie").text


def test_a_town_opens_its_space_and_its_admin_lands_in_it(national):
    response = start(national)
    assert response["Location"] == "/inscription/code/"
    code = emailed_code()
    assert mail.outbox[-1].to == ["nadia.benali@example.fr"]

    response = national.post("/inscription/code/", {"code": code})

    town = Territory.objects.get(slug="draguignan")
    assert (town.siren, town.official_code, town.kind, town.status, town.is_verified) == (
        "218300507",
        "83050",
        "commune",
        "pre_opening",
        False,
    )
    assert Membership.objects.get(territory=town).role == "admin"
    assert response.status_code == 302
    assert response["Location"].startswith("http://draguignan.localhost:8000/compte/bienvenue/")
    welcome = response["Location"].split(":8000")[1]
    town_client = TownClient(HTTP_HOST=town.host)
    landing = town_client.get(welcome)
    assert landing["Location"] == "/gestion/premiers-pas/"
    page = town_client.get("/gestion/premiers-pas/")
    assert page.status_code == 200 and "Bienvenue dans l’espace de Draguignan" in page.text
    assert "Votre espace est privé jusqu’à la vérification de la collectivité" in page.text
    assert "Vos premiers partenaires" in page.text
    # The welcome link works once only.
    assert TownClient(HTTP_HOST=town.host).get(welcome).status_code == 400


def test_a_welcome_link_is_worth_nothing_on_another_town(national, town_a):
    start(national)
    response = national.post("/inscription/code/", {"code": emailed_code()})
    welcome = response["Location"].split(":8000")[1]
    assert TownClient(HTTP_HOST=town_a.host).get(welcome).status_code == 400


def test_a_wrong_code_creates_nothing_and_attempts_are_limited(national):
    start(national)
    code = emailed_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        response = national.post("/inscription/code/", {"code": wrong})
        assert "n’est pas le bon" in response.text
    response = national.post("/inscription/code/", {"code": code})
    assert not Territory.objects.filter(slug="draguignan").exists()
    assert response.status_code in (302, 400)


@pytest.mark.parametrize(
    "slug", ["nice", "www", "static", "Dragui Gnan", "ville-a", "town-x", "draguignan.evil.fr"]
)
def test_the_address_is_picked_among_forms_of_the_official_name_never_typed(national, town_a, slug):
    response = start(national, slug=slug)

    assert response.status_code == 400
    assert "Choisissez une des adresses proposées." in response.text
    assert 'value="Nadia"' in response.text
    assert not Territory.objects.filter(official_code="83050").exists()


def test_the_address_is_required(national):
    response = start(national, slug="")
    assert response.status_code == 400
    assert "Choisissez l’adresse de votre espace." in response.text


def test_terms_must_be_accepted(national):
    response = start(national, accept_terms="")
    assert response.status_code == 400
    assert "Acceptez les conditions" in response.text


def test_a_town_already_on_the_platform_cannot_be_created_twice(national):
    start(national)
    national.post("/inscription/code/", {"code": emailed_code()})
    Territory.objects.get(slug="draguignan").verify("anct")
    again = TownClient(HTTP_HOST="localhost")
    page = again.get("/inscription/?q=draguignan")
    assert "Déjà sur BoursOloco" in page.text
    response = again.post("/inscription/", {"territoire": "commune:83050"})
    assert response.status_code == 400
    assert "a déjà un espace" in response.text


def test_an_epci_opens_its_space_too(national):
    start(national, choice="epci:200035277", slug="dracenie-provence-verdon")
    national.post("/inscription/code/", {"code": emailed_code()})
    town = Territory.objects.get(slug="dracenie-provence-verdon")
    assert (town.kind, town.siren) == ("epci", "200035277")


def test_suggestions_are_served_as_json_for_live_results(national):
    data = national.get("/inscription/suggestions/?q=lorg").json()
    assert data["results"] == [
        {"value": "commune:83069", "label": "Lorgues (83) — 9 000 habitants", "taken": False}
    ]
    assert national.get("/inscription/suggestions/?q=").json() == {"results": []}
