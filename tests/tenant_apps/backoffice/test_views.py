"""The back-office shell: staff of the town only, counts and lists of its own data."""

import pytest

from tenant_apps.demands.enums import DemandStatus
from tenant_apps.premises.models import Premises
from tests.conftest import client_for, logged_in_client
from tests.factories import DemandFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page(town_a):
    for path in ("/gestion/", "/gestion/demandes/", "/gestion/locaux/"):
        response = client_for(town_a).get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/compte/login/?next={path}"


def test_the_overview_counts_demands_per_status(town_a, in_town):
    with in_town(town_a):
        DemandFactory(status=DemandStatus.NEW)
        DemandFactory(status=DemandStatus.NEW)
        DemandFactory(status=DemandStatus.INSTALLED)
    client = logged_in_client(town_a, MembershipFactory(territory=town_a).user)

    response = client.get("/gestion/")

    counts = dict((status.value, n) for status, n in response.context["counts"])
    assert counts["new"] == 2
    assert counts["installed"] == 1
    assert response.context["open_count"] == 2
    assert "2 demandes en cours" in response.text


@pytest.mark.parametrize(("how_many", "text"), [(1, "1 local suivi."), (2, "2 locaux suivis.")])
def test_the_premises_list_speaks_proper_french(town_a, in_town, how_many, text):
    with in_town(town_a):
        for index in range(how_many):
            Premises.objects.create(address=f"{index} rue Haute", kind="shop", surface=50)
    client = logged_in_client(town_a, MembershipFactory(territory=town_a).user)

    response = client.get("/gestion/locaux/")

    assert text in response.text
    assert "0 rue Haute" in response.text


def test_the_demand_list_is_paginated(town_a, in_town):
    with in_town(town_a):
        for _ in range(30):
            DemandFactory()
    client = logged_in_client(town_a, MembershipFactory(territory=town_a).user)

    first, second = client.get("/gestion/demandes/"), client.get("/gestion/demandes/?page=2")

    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 5
    assert client.get("/gestion/demandes/?page=abc").status_code == 200
