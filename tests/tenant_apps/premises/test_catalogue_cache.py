"""The catalogue's cached list pages: each town its own, fresh as soon as a premises, a
photo or an area changes, and made-up queries are not kept."""

import django_rq
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenant_apps.premises.models import Area
from tests.conftest import client_for
from tests.factories import PremisesFactory

pytestmark = pytest.mark.django_db


def published(**fields):
    return PremisesFactory(is_published=True, **fields)


def list_keys():
    return django_rq.get_connection("default").keys("*catalogue:list:*")


def test_a_cached_page_of_town_a_is_never_served_on_town_b(town_a, town_b, in_town):
    with in_town(town_a):
        published(address="1 rue de Ville A")
    with in_town(town_b):
        published(address="2 rue de Ville B")

    for _ in range(2):  # rendered, then from the cache
        on_a = client_for(town_a).get("/locaux/?kind=shop").text
        on_b = client_for(town_b).get("/locaux/?kind=shop").text
        assert "rue de Ville A" in on_a and "rue de Ville B" not in on_a
        assert "rue de Ville B" in on_b and "rue de Ville A" not in on_b
        assert "Locaux disponibles à Ville B" in on_b


def test_a_change_shows_at_once(town_a, in_town):
    with in_town(town_a):
        premises = published(address="1 rue Changeante")
    visitor = client_for(town_a)
    assert "1 rue Changeante" in visitor.get("/locaux/").text

    with in_town(town_a):
        premises.address = "1 rue Changée"
        premises.save()
    assert "1 rue Changée" in visitor.get("/locaux/").text
    with in_town(town_a):
        premises.change_state("let")
    assert "rue Changée" not in visitor.get("/locaux/").text
    with in_town(town_a):
        premises.change_state("vacant")
        premises.area = Area.objects.create(name="Quartier Neuf")
        premises.save()
    assert "Quartier Neuf" in visitor.get("/locaux/").text
    with in_town(town_a):
        Area.objects.filter(name="Quartier Neuf").update(name="Quartier Renommé")  # no signal
        Area.objects.get(name="Quartier Renommé").save()
    assert "Quartier Renommé" in visitor.get("/locaux/").text


def test_a_cached_page_reads_neither_premises_nor_photos(town_a, in_town):
    with in_town(town_a):
        for _ in range(3):
            published()
    visitor = client_for(town_a)
    visitor.get("/locaux/?surface=20")
    with CaptureQueriesContext(connection) as captured:
        assert visitor.get("/locaux/?surface=20").status_code == 200
    assert not [q for q in captured.captured_queries if "premises_" in q["sql"]]


@pytest.mark.parametrize(
    "query", ["surface=-3", "kind=<script>", "page=abc", "page=99999999", "area=999999"]
)
def test_made_up_queries_are_answered_but_not_kept(town_a, in_town, query):
    with in_town(town_a):
        published(address="1 rue Toujours")
    cache.clear()
    response = client_for(town_a).get(f"/locaux/?{query}")
    assert response.status_code == 200 and "rue Toujours" in response.text
    assert list_keys() == []
    client_for(town_a).get("/locaux/?surface=10&page=1")
    assert len(list_keys()) == 1
