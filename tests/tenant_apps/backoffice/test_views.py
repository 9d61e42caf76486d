"""The back-office shell: staff of the town only, counts and lists of its own data."""

import pytest

from tenant_apps.premises.models import Premises
from tests.conftest import client_for, logged_in_client
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page(town_a):
    for path in ("/gestion/", "/gestion/locaux/", "/gestion/reglages/"):
        response = client_for(town_a).get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/compte/login/?next={path}"


@pytest.mark.parametrize(("how_many", "text"), [(1, "1 local suivi."), (2, "2 locaux suivis.")])
def test_the_premises_list_speaks_proper_french(town_a, in_town, how_many, text):
    with in_town(town_a):
        for index in range(how_many):
            Premises.objects.create(address=f"{index} rue Haute", kind="shop", surface=50)
    client = logged_in_client(town_a, MembershipFactory(territory=town_a).user)

    response = client.get("/gestion/locaux/")

    assert text in response.text
    assert "0 rue Haute" in response.text


def test_admins_switch_optional_questions_off_and_porteurs_no_longer_see_them(town_a, in_town):
    admin = logged_in_client(town_a, MembershipFactory(territory=town_a, role="admin").user)
    page = admin.get("/gestion/reglages/")
    assert page.status_code == 200
    fields = {name: "on" for name in page.context["form"].fields if name.startswith("ask_")}
    fields.update(
        {
            "ask_siret": "",
            "retention_months": "24",
            "intro_text": "Bienvenue !",
            "ask_still_searching_after_days": "30",
            "dormant_after_days": "15",
            "remind_team_after_days": "3",
            "alert_partners_on": "qualified",
            "applicant_alert_min_score": "60",
        }
    )
    fields = {name: value for name, value in fields.items() if value}

    response = admin.post("/gestion/reglages/", fields)

    assert response.status_code == 302
    form = client_for(town_a).get("/demande/")
    assert 'name="siret"' not in form.text
    assert 'name="opening_date"' in form.text
    assert "Bienvenue !" in client_for(town_a).get("/").text
    assert "24 mois" in client_for(town_a).get("/donnees-personnelles/").text


def test_bad_settings_are_refused_with_a_french_message(town_a):
    admin = logged_in_client(town_a, MembershipFactory(territory=town_a, role="admin").user)
    response = admin.post("/gestion/reglages/", {"retention_months": "500", "contact_email": "x@"})
    assert response.status_code == 400
    assert "au plus 120 mois" in response.text
    assert 'value="x@"' in response.text


@pytest.mark.parametrize("role", ["agent", "read_only"])
def test_only_admins_change_settings(town_a, role):
    client = logged_in_client(town_a, MembershipFactory(territory=town_a, role=role).user)
    assert client.get("/gestion/reglages/").status_code == 403
    assert client.post("/gestion/reglages/", {"retention_months": "12"}).status_code == 403


def test_admins_of_town_a_cannot_change_town_b(town_a, town_b):
    client = client_for(town_b)
    client.post(
        "/compte/login/",
        {
            "login": MembershipFactory(territory=town_a, role="admin").user.email,
            "password": "motdepasse-de-test-2026",
        },
    )
    assert client.post("/gestion/reglages/", {"retention_months": "12"}).status_code == 403
