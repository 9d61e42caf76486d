"""The town's public catalogue, /locaux/: published and available premises only, each
town its own, nothing private, filters that explain bad input, schema.org data."""

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenant_apps.premises.models import Area
from tests.conftest import client_for, logged_in_client
from tests.factories import MembershipFactory, PartnerMemberFactory, PremisesFactory

pytestmark = pytest.mark.django_db


def published(**fields):
    return PremisesFactory(is_published=True, **fields)


def test_only_published_available_premises_are_listed(town_a, in_town):
    with in_town(town_a):
        shown = published(address="1 place Publiée")
        works = published(address="2 place Travaux", state="works")
        hidden = PremisesFactory(address="3 rue Brouillon")
        gone = [
            published(address=f"{n} rue Partie", state=state)
            for n, state in enumerate(["reserved", "let", "sold"], start=4)
        ]
    visitor = client_for(town_a)

    page = visitor.get("/locaux/").text

    assert "1 place Publiée" in page and "2 place Travaux" in page
    assert "rue Brouillon" not in page and "rue Partie" not in page
    assert visitor.get(f"/locaux/{shown.pk}/").status_code == 200
    assert visitor.get(f"/locaux/{works.pk}/").status_code == 200
    for premises in [hidden, *gone]:
        assert visitor.get(f"/locaux/{premises.pk}/").status_code == 404


def test_a_premises_of_one_town_never_appears_on_another(town_a, town_b, in_town):
    with in_town(town_a):
        secret = published(address="7 rue de Ville A")
    with in_town(town_b):
        published(address="8 rue de Ville B")

    on_b = client_for(town_b)
    assert "rue de Ville A" not in on_b.get("/locaux/").text
    response = on_b.get(f"/locaux/{secret.pk}/")
    assert response.status_code == 404 or "rue de Ville A" not in response.text


def test_nothing_private_reaches_the_public_pages(town_a, in_town):
    with in_town(town_a):
        premises = published(owner_name="Mme Propriétaire-Secrète")
        premises.change_state("works", note="Note interne confidentielle")
    visitor = client_for(town_a)

    for path in ("/locaux/", f"/locaux/{premises.pk}/"):
        text = visitor.get(path).text
        assert "Propriétaire-Secrète" not in text, path
        assert "confidentielle" not in text, path
        assert "Vacant" not in text  # no state history


def test_the_detail_page_carries_schema_org_data(town_a, in_town):
    with in_town(town_a):
        premises = published(address="</script><script>alert(1)</script>", surface=85)
    page = client_for(town_a).get(f"/locaux/{premises.pk}/").text

    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Offer"
    assert data["itemOffered"]["floorSize"]["value"] == 85
    assert data["priceSpecification"]["price"] == 1000
    assert data["itemOffered"]["address"]["streetAddress"].startswith("</script>")
    assert "<script>alert(1)" not in page


def test_filters_narrow_the_list(town_a, in_town):
    with in_town(town_a):
        centre = Area.objects.create(name="Centre ancien")
        published(address="1 rue Petite", surface=30)
        published(address="2 rue Grande", surface=200, monthly_rent=3000)
        published(address="3 rue Atelier", kind="workshop", surface=120, area=centre)
    visitor = client_for(town_a)

    assert "rue Petite" not in visitor.get("/locaux/?surface=100").text
    assert "rue Grande" not in visitor.get("/locaux/?budget=2000").text
    only_workshops = visitor.get("/locaux/?kind=workshop").text
    assert "rue Atelier" in only_workshops and "rue Grande" not in only_workshops
    in_centre = visitor.get(f"/locaux/?area={centre.pk}").text
    assert "rue Atelier" in in_centre and "rue Petite" not in in_centre


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=<script>", "Choisissez un type de local dans la liste."),
        ("surface=-3", "La surface ne peut pas être négative."),
        ("surface=1e999", "Indiquez la surface en m², en chiffres."),
        ("budget=' OR 1=1 --", "Indiquez le loyer en euros, en chiffres."),
        ("budget=99999999999999999999", "Indiquez un loyer d’au plus 1 000 000 €."),
        ("area=999999", "Choisissez un quartier dans la liste."),
        ("area=abc", "Choisissez un quartier dans la liste."),
        ("page=abc&surface=%00", "Indiquez la surface en m², en chiffres."),
    ],
)
def test_hostile_filters_are_explained_and_ignored(town_a, in_town, query, message):
    with in_town(town_a):
        published(address="1 rue Toujours")
    response = client_for(town_a).get(f"/locaux/?{query}")

    assert response.status_code == 200
    assert message in response.text
    assert "rue Toujours" in response.text


def test_the_number_of_queries_does_not_grow_with_the_catalogue(town_a, in_town):
    def queries():
        cache.clear()  # rendered afresh each time, not served from the list's cache
        with CaptureQueriesContext(connection) as captured:
            assert client_for(town_a).get("/locaux/").status_code == 200
        return len(captured)

    with in_town(town_a):
        published()
    few = queries()
    with in_town(town_a):
        for _ in range(30):
            published()
    assert queries() == few


def test_pages_of_twelve_keep_the_filters(town_a, in_town):
    with in_town(town_a):
        for _ in range(14):
            published(surface=50)
    page = client_for(town_a).get("/locaux/?surface=40").text
    assert "14 locaux disponibles" in page
    assert 'href="?surface=40&amp;page=2"' in page
    assert page.count('class="fr-card__title"') == 12


def test_staff_publish_a_premises_from_its_form(town_a, in_town):
    with in_town(town_a):
        premises = PremisesFactory(address="5 rue du Marché")
    staff = logged_in_client(town_a, MembershipFactory(territory=town_a, role="agent").user)
    data = {
        "address": premises.address,
        "kind": "shop",
        "surface": 60,
        "monthly_rent": 900,
        "state": "vacant",
        "latitude": "43.5",
        "longitude": "6.4",
        "is_published": "on",
    }
    staff.post(f"/gestion/locaux/{premises.pk}/modifier/", data)

    assert "5 rue du Marché" in client_for(town_a).get("/locaux/").text


def test_a_partner_publishes_its_own_premises_from_the_portal(town_a, in_town):
    from tenant_apps.network.models import NetworkMember

    member = PartnerMemberFactory()
    with in_town(town_a):
        NetworkMember.objects.create(partner=member.partner, status="active")
    portal = logged_in_client(town_a, member.user)
    response = portal.post(
        "/partenaires/locaux/nouveau/",
        {
            "address": "9 rue de l’Agence",
            "kind": "shop",
            "surface": 45,
            "monthly_rent": 700,
            "state": "vacant",
            "latitude": "43.5",
            "longitude": "6.4",
            "is_published": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:500]
    assert "9 rue de l’Agence" in client_for(town_a).get("/locaux/").text
