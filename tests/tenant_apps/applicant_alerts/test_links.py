"""The porteur's alert switch on the follow-up page, the emails' one-click unsubscribe
link and the town's score setting: a GET changes nothing, a link of one town is worth
nothing on another, hostile input is explained and changes nothing."""

import secrets

import pytest
from django.core import signing
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tenant_apps.applicant_alerts.models import UNSUBSCRIBE_SALT, Subscription
from tenant_apps.townsite.models import TownSettings
from tenants.signing import town_salt
from tests.conftest import client_for, logged_in_client
from tests.factories import DemandFactory, MembershipFactory
from tests.tenant_apps.applicant_alerts.helpers import alerts_to, publish, unsubscribe_path
from tests.tenant_apps.demands.helpers import CONTACT, submit_demand

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    "ON",
    "1",
    "true",
    "<script>alert(1)</script>",
    "on\x00",
    "' OR 1=1 --",
    "x" * 5000,
]


def is_active(town, in_town, demand):
    with in_town(town):
        subscription = Subscription.objects.filter(demand=demand).first()
        return subscription.is_active if subscription else None


# The switch of the follow-up page ----------------------------------------------------


@pytest.fixture
def followup(town_a, in_town):
    with in_town(town_a):
        demand = DemandFactory(applicant__email="suivi@example.fr")
        return demand, f"/suivi/{demand.followup_token()}/"


def test_the_follow_up_page_switches_alerts_on_and_off(town_a, in_town, followup):
    demand, path = followup
    client = client_for(town_a)
    assert "Recevoir les alertes de locaux" in client.get(path).text

    response = client.post(f"{path}alertes/", {"alerts": "on"})
    assert response.status_code == 302 and response["Location"] == f"{path}#alertes-locaux"
    assert is_active(town_a, in_town, demand) is True
    page = client.get(path).text
    assert "Vous recevez un courriel quand un local publié" in page
    assert "Ne plus recevoir d’alertes" in page
    publish(town_a, in_town)
    assert len(alerts_to("suivi@example.fr")) == 1

    client.post(f"{path}alertes/", {"alerts": "off"})
    assert is_active(town_a, in_town, demand) is False
    assert response["Cache-Control"] == "no-store"


def test_a_get_on_the_switch_changes_nothing(town_a, in_town, followup):
    demand, path = followup
    assert client_for(town_a).get(f"{path}alertes/?alerts=on").status_code == 405
    assert is_active(town_a, in_town, demand) is None


@pytest.mark.parametrize("value", [*HOSTILE, ["on", "off"]])
def test_hostile_values_of_the_switch_are_explained_and_change_nothing(
    town_a, in_town, followup, value
):
    demand, path = followup
    client = client_for(town_a)
    response = client.post(f"{path}alertes/", {"alerts": value}, follow=True)
    assert response.status_code == 200
    if value != ["on", "off"]:  # two values: the last one counts, a valid choice
        assert "Choisissez de recevoir ou non les alertes." in response.text
        assert is_active(town_a, in_town, demand) is None
    assert "<script>alert(1)" not in response.text


def test_a_closed_demand_has_no_switch(town_a, in_town, followup):
    demand, path = followup
    with in_town(town_a):
        demand.close_by_applicant("gave_up")
    client = client_for(town_a)
    assert "alertes-locaux" not in client.get(path).text
    response = client.post(f"{path}alertes/", {"alerts": "on"}, follow=True)
    assert "Votre demande est close" in response.text
    assert is_active(town_a, in_town, demand) is None


def test_a_follow_up_link_of_town_a_switches_nothing_on_town_b(town_a, town_b, in_town, followup):
    demand, path = followup
    with in_town(town_b):
        namesake = DemandFactory(pk=demand.pk)  # the same id in town B
    response = client_for(town_b).post(f"{path}alertes/", {"alerts": "on"})
    assert response.status_code == 404
    assert is_active(town_b, in_town, namesake) is None
    assert is_active(town_a, in_town, demand) is None


# The unsubscribe link of the emails ---------------------------------------------------


@pytest.fixture
def alerted(town_a, in_town):
    with in_town(town_a):
        demand = DemandFactory(applicant__email="alerte@example.fr")
        Subscription.switch(demand, True)
    publish(town_a, in_town)
    (email,) = alerts_to("alerte@example.fr")
    return demand, unsubscribe_path(email), email


def test_the_unsubscribe_link_shows_a_button_and_a_get_changes_nothing(town_a, in_town, alerted):
    demand, path, email = alerted
    assert path in email.body  # the same link in the email's text, for people
    client = client_for(town_a)
    for _ in range(2):  # a mail scanner, then the person
        page = client.get(path)
        assert page.status_code == 200
        assert '<button class="fr-btn" type="submit">Ne plus recevoir d’alertes</button>' in (
            page.text
        )
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert is_active(town_a, in_town, demand) is True

    done = client.post(path)
    assert "C’est fait" in done.text and demand.reference in done.text
    assert is_active(town_a, in_town, demand) is False


def test_a_mail_clients_one_click_post_unsubscribes_without_cookie_or_csrf_token(
    town_a, in_town, alerted
):
    demand, path, _ = alerted
    mail_client = Client(enforce_csrf_checks=True, HTTP_HOST=town_a.host)
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert is_active(town_a, in_town, demand) is False
    # Nothing more is sent.
    publish(town_a, in_town, address="2 rue Suivante")
    assert len(alerts_to("alerte@example.fr")) == 1


def test_an_unsubscribe_link_of_town_a_is_worth_nothing_on_town_b(town_a, town_b, in_town, alerted):
    demand, path, _ = alerted
    with in_town(town_a):
        subscription_id = Subscription.objects.get(demand=demand).pk
    with in_town(town_b):
        namesake = DemandFactory(pk=demand.pk)  # the same ids in town B
        Subscription.objects.create(pk=subscription_id, demand=namesake)
    on_b = client_for(town_b)
    for method in (on_b.get, on_b.post):
        response = method(path)
        assert response.status_code == 400
        assert "Ce lien ne fonctionne pas" in response.text
    assert is_active(town_b, in_town, namesake) is True
    assert is_active(town_a, in_town, demand) is True


def forged(town, in_town, payload, salt=UNSUBSCRIBE_SALT):
    with in_town(town):
        return signing.dumps(payload, salt=town_salt(salt))


@pytest.mark.parametrize(
    "token",
    [
        "tampered",
        "other-salt",
        "not-an-id",
        "unknown-id",
        "<script>alert(1)</script>",
        "x" * 3000,
        "%00",
    ],
)
def test_tampered_or_forged_unsubscribe_links_are_refused(town_a, in_town, alerted, token):
    demand, path, _ = alerted
    real = path.rstrip("/").rsplit("/", 1)[1]
    token = {
        "tampered": real[:-1] + ("A" if real[-1] != "A" else "B"),
        "other-salt": forged(town_a, in_town, 1, salt="boursoloco.desabonnement"),
        "not-an-id": forged(town_a, in_town, ["1", "all"]),
        "unknown-id": forged(town_a, in_town, 999_999),
    }.get(token, token)
    response = client_for(town_a).post(f"/suivi/alertes/desabonnement/{token}/")
    assert response.status_code in (400, 404)
    assert "<script>alert(1)" not in response.text
    assert is_active(town_a, in_town, demand) is True


# The town's setting ------------------------------------------------------------------


def settings_form(client):
    page = client.get("/gestion/reglages/")
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("39", "Le score minimal est de 40 : en dessous, le local ne convient pas."),
        ("101", "Le score est sur 100."),
        ("-5", "Le score minimal est de 40"),
        ("soixante", "Indiquez un score en chiffres, de 40 à 100."),
        ("<script>alert(1)</script>", "Indiquez un score en chiffres, de 40 à 100."),
        ("99999999999999999999999", "Le score est sur 100."),
        ("", "Ce champ est obligatoire."),
    ],
)
def test_admins_set_the_score_and_bad_values_are_explained(town_a, in_town, value, message):
    admin = logged_in_client(town_a, MembershipFactory(territory=town_a, role="admin").user)
    data = settings_form(admin)
    assert data["applicant_alert_min_score"] == 60  # the default

    response = admin.post("/gestion/reglages/", {**data, "applicant_alert_min_score": value})
    assert response.status_code in (200, 400)
    assert message in response.text and "<script>alert(1)" not in response.text
    with in_town(town_a):
        assert TownSettings.load().applicant_alert_min_score == 60

    response = admin.post("/gestion/reglages/", {**data, "applicant_alert_min_score": "75"})
    assert response.status_code == 302
    with in_town(town_a):
        assert TownSettings.load().applicant_alert_min_score == 75


# The demand form's checkbox ------------------------------------------------------------


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(value=st.one_of(st.sampled_from(HOSTILE), st.text(max_size=50)))
def test_any_value_of_the_forms_checkbox_saves_the_demand(town_a, in_town, settings, value):
    settings.DEMAND_SUBMISSIONS_PER_HOUR = 10_000
    email = f"case-{secrets.token_hex(6)}@example.fr"
    contact = {**CONTACT, "email": email, "premises_alerts": value}
    response = submit_demand(client_for(town_a), **{"/demande/contact/": contact})
    assert response.status_code == 302
    with in_town(town_a):
        subscription = Subscription.objects.filter(demand__applicant__email=email).first()
    # Django's checkbox: empty, "false" and "0" are unticked, anything else ticked.
    ticked = value.lower() not in ("", "false", "0")
    assert (subscription is not None and subscription.is_active) == ticked
