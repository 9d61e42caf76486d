"""The porteur's journey in the test client: form, confirmation, emails, on two towns."""

import re

import pytest
from django.core import mail

from tenant_apps.demands.models import Demand
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.townsite.models import TownSettings
from tests.conftest import client_for
from tests.factories import MembershipFactory
from tests.jobs import run_jobs
from tests.tenant_apps.demands.helpers import CONTACT, PREMISES, PROJECT, STEPS, submit_demand

pytestmark = pytest.mark.django_db


def test_a_demand_submitted_on_town_b_never_appears_on_town_a(town_a, town_b, in_town):
    MembershipFactory(territory=town_b, role="agent", user__email="agent@ville-b.example.fr")
    client = client_for(town_b)

    response = submit_demand(client)

    assert response.status_code == 302
    assert response["Location"] == "/demande/envoyee/"
    done = client.get("/demande/envoyee/")
    assert "Votre demande a bien été envoyée" in done.text
    reference = re.search(r"VIL-\d{4}-\d{5}", done.text).group(0)

    with in_town(town_b):
        demand = Demand.objects.get(reference=reference)
        assert demand.activity == "Boulangerie artisanale"
        assert demand.applicant.phone == "+33612345678"
        assert demand.lease_kinds == ["commercial"]
        assert demand.support == ["funding", "chambers"]
        assert demand.needs_shop_window and not demand.needs_step_free_access
        assert demand.consent_to_share
        assert demand.events.get().kind == "submitted"
    with in_town(town_a):
        assert not Demand.objects.filter(reference=reference).exists()
        assert not Demand.objects.filter(applicant__email=CONTACT["email"]).exists()

    run_jobs()  # the announcement, then the emails
    by_recipient = {message.to[0]: message for message in mail.outbox}
    porteur = by_recipient[CONTACT["email"]]
    assert reference in porteur.subject and "Ville B" in porteur.subject
    assert "http://ville-b.localhost:8000/suivi/" in porteur.body
    assert "http://ville-b.localhost:8000/donnees-personnelles/" in porteur.body
    team = by_recipient["agent@ville-b.example.fr"]
    assert "Nouvelle demande" in team.subject
    assert CONTACT["email"] not in team.body  # contact details stay in the back-office
    assert porteur.extra_headers["X-BoursOloco-Town"] == town_b.schema_name


def test_going_back_loses_nothing(town_a):
    client = client_for(town_a)
    client.post("/demande/", PROJECT)
    client.post("/demande/local/", {**PREMISES, "surface_min": "55"})

    back = client.post("/demande/accompagnement/", {"support": ["training"], "previous": "1"})
    assert back["Location"] == "/demande/local/"
    page = client.get("/demande/local/")
    assert 'value="55"' in page.text
    forward = client.get("/demande/accompagnement/")
    assert re.search(r'value="training"[^>]*checked', forward.text)


def test_steps_cannot_be_skipped(town_a, in_town):
    client = client_for(town_a)
    response = client.post("/demande/contact/", CONTACT)
    assert response.status_code == 302
    assert response["Location"] == "/demande/"
    with in_town(town_a):
        assert not Demand.objects.exists()
        assert not OutboundEmail.objects.exists()


def test_errors_are_shown_in_french_next_to_the_field_and_input_is_kept(town_a):
    client = client_for(town_a)
    response = client.post(
        "/demande/", {**PROJECT, "activity": "Fromagerie", "siret": "12345678901234", "stage": ""}
    )
    assert response.status_code == 200
    assert "Ce SIRET n’existe pas" in response.text
    assert "Indiquez où en est votre projet." in response.text
    assert 'value="Fromagerie"' in response.text
    assert "2 réponses sont à corriger" in response.text


@pytest.mark.parametrize(
    ("step", "field", "value", "message"),
    [
        ("/demande/local/", "surface_min", "0", "Le minimum est 1 m²."),
        ("/demande/local/", "surface_max", "10001", "Le maximum est 10 000 m²."),
        ("/demande/local/", "surface_max", "10", "au moins égale à la minimale"),
        ("/demande/local/", "monthly_budget", "-5", "Le minimum est 0 €."),
        ("/demande/local/", "monthly_budget", "douze", "Saisissez un nombre entier"),
        ("/demande/", "opening_date", "2001-01-01", "ne peut pas être dans le passé"),
        ("/demande/contact/", "phone", "12", "Ce numéro de téléphone n’est pas valide"),
        ("/demande/contact/", "email", "camille@", "Cette adresse électronique n’est pas valide"),
    ],
)
def test_bad_values_get_a_clear_message(town_a, step, field, value, message):
    client = client_for(town_a)
    for path, data in STEPS:
        if path == step:
            response = client.post(path, {**data, field: value})
            break
        client.post(path, data)
    assert response.status_code == 200
    assert message in response.text


def test_a_valid_siret_and_a_naf_code_are_kept(town_a, in_town):
    client = client_for(town_a)
    submit_demand(
        client,
        **{
            "/demande/": {
                "siret": "732 829 320 00074",
                "activity": "47.24Z — Commerce de détail de pain",
            }
        },
    )
    with in_town(town_a):
        demand = Demand.objects.get()
        assert demand.siret == "73282932000074"
        assert demand.naf_code == "47.24Z"


def test_the_honeypot_saves_and_sends_nothing(town_a, in_town):
    response = submit_demand(
        client_for(town_a), **{"/demande/contact/": {"website": "http://spam"}}
    )
    assert response["Location"] == "/demande/envoyee/"
    with in_town(town_a):
        assert not Demand.objects.exists()
        assert not OutboundEmail.objects.exists()


def test_the_same_email_and_activity_within_a_day_update_the_first_demand(town_a, in_town):
    submit_demand(client_for(town_a))
    response = submit_demand(client_for(town_a), **{"/demande/local/": {"surface_max": "120"}})
    assert response["Location"] == "/demande/envoyee/"
    with in_town(town_a):
        demand = Demand.objects.get()
        assert demand.surface_max == 120
        assert [event.kind for event in demand.events.all()] == ["submitted", "resubmitted"]
    run_jobs()
    with in_town(town_a):
        subjects = list(OutboundEmail.objects.values_list("subject", flat=True))
    assert sum("mise à jour" in subject for subject in subjects) == 1


def test_submissions_are_rate_limited_per_address_and_keep_the_answers(town_a, in_town, settings):
    settings.DEMAND_SUBMISSIONS_PER_HOUR = 1
    submit_demand(client_for(town_a))
    client = client_for(town_a)
    response = submit_demand(
        client,
        **{"/demande/": {"activity": "Caviste"}, "/demande/contact/": {"email": "b@example.fr"}},
    )
    assert response.status_code == 429
    assert "Trop de demandes" in response.text
    assert 'value="b@example.fr"' in response.text
    with in_town(town_a):
        assert Demand.objects.count() == 1


def test_the_town_switches_optional_questions_off(town_a, in_town):
    with in_town(town_a):
        TownSettings.objects.update_or_create(
            pk=1,
            defaults={
                "ask_siret": False,
                "ask_support": False,
                "ask_heard_from": False,
                "form_intro": "Bienvenue aux créateurs de Ville A !",
            },
        )
    client = client_for(town_a)
    first = client.get("/demande/")
    assert "Bienvenue aux créateurs de Ville A !" in first.text
    assert 'name="siret"' not in first.text
    assert "Étape 1 sur 3" in first.text
    client.post("/demande/", PROJECT)
    response = client.post("/demande/local/", PREMISES)
    assert response["Location"] == "/demande/contact/"
    assert client.get("/demande/accompagnement/").status_code == 404
    contact = client.get("/demande/contact/")
    assert 'name="heard_from"' not in contact.text
    response = client.post("/demande/contact/", CONTACT)
    assert response["Location"] == "/demande/envoyee/"
    with in_town(town_a):
        assert Demand.objects.get().support == []


def test_references_follow_each_other_per_town_and_year(town_a, town_b, in_town):
    for index in range(2):
        submit_demand(
            client_for(town_a),
            **{"/demande/contact/": {"email": f"p{index}@example.fr"}},
        )
    submit_demand(client_for(town_b))
    with in_town(town_a):
        numbers = sorted(int(r[-5:]) for r in Demand.objects.values_list("reference", flat=True))
    with in_town(town_b):
        other = Demand.objects.get().reference
    assert numbers == [numbers[0], numbers[0] + 1]
    assert other.endswith("-00001")


def test_the_landing_page_calls_to_action(town_a, in_town):
    with in_town(town_a):
        TownSettings.objects.update_or_create(pk=1, defaults={"intro_text": "Ville A vous attend."})
    page = client_for(town_a).get("/")
    assert "Ville A vous attend." in page.text
    assert 'href="/demande/"' in page.text


def test_optional_steps_may_be_left_empty(town_a, in_town):
    response = submit_demand(
        client_for(town_a),
        **{"/demande/accompagnement/": {"support": []}, "/demande/local/": {"lease_kinds": []}},
    )
    assert response["Location"] == "/demande/envoyee/"
    with in_town(town_a):
        demand = Demand.objects.get()
        assert demand.support == [] and demand.lease_kinds == []


def test_a_closed_demand_is_not_rewritten_by_a_new_submission(town_a, in_town):
    submit_demand(client_for(town_a))
    with in_town(town_a):
        first = Demand.objects.get()
        first.close_by_applicant("gave_up")
    submit_demand(
        client_for(town_a),
        **{"/demande/contact/": {"first_name": "Mallory", "phone": "06 98 76 54 32"}},
    )
    with in_town(town_a):
        assert Demand.objects.count() == 2
        first.refresh_from_db()
        assert first.applicant.first_name == "Camille"


def test_a_resubmission_does_not_replace_the_porteurs_identity(town_a, in_town):
    submit_demand(client_for(town_a))
    submit_demand(client_for(town_a), **{"/demande/contact/": {"first_name": "Mallory"}})
    with in_town(town_a):
        demand = Demand.objects.get()
        assert demand.applicant.first_name == "Camille"


def test_submissions_keep_working_when_redis_is_down(town_a, in_town, settings):
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    }
    settings.RQ_QUEUES = {
        name: {**conf, "URL": "redis://127.0.0.1:1/0"} for name, conf in settings.RQ_QUEUES.items()
    }
    response = submit_demand(client_for(town_a))
    assert response["Location"] == "/demande/envoyee/"
    with in_town(town_a):
        assert Demand.objects.count() == 1
