"""The webhooks' settings pages: admins only, the secret shown once, French errors that
keep what was typed, confirmation before deleting, replay by hand."""

import django_rq
import pytest
from django.utils import timezone

from shared_apps.accounts.enums import Role
from tenant_apps.webhooks.enums import DeliveryStatus
from tenant_apps.webhooks.models import Delivery, Webhook
from tenant_apps.webhooks.services import wake
from tests.conftest import logged_in_client
from tests.factories import MembershipFactory
from tests.tenant_apps.webhooks.conftest import make_webhook, run_webhook_jobs
from tests.tenant_apps.webhooks.receiver import closed_port_url

pytestmark = pytest.mark.django_db

LIST = "/gestion/reglages/webhooks/"


@pytest.fixture
def admin_client(town_a):
    return logged_in_client(town_a, MembershipFactory(territory=town_a, role=Role.ADMIN).user)


def add(client, url, events=("demand.created",), description="CRM de la ville"):
    return client.post(LIST, {"url": url, "description": description, "events": list(events)})


def test_an_admin_adds_an_endpoint_and_sees_its_secret_once(town_a, in_town, admin_client):
    response = add(admin_client, "https://crm.example.fr/boursoloco")

    with in_town(town_a):
        webhook = Webhook.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}{webhook.pk}/"
    assert webhook.events == ["demand.created"]
    assert webhook.secret.startswith("whsec_")
    first = admin_client.get(response["Location"])
    assert webhook.secret in first.content.decode()
    again = admin_client.get(response["Location"])
    assert again.status_code == 200
    assert webhook.secret not in again.content.decode()
    listing = admin_client.get(LIST).content.decode()
    assert "https://crm.example.fr/boursoloco" in listing and webhook.secret not in listing


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://crm.example.fr/hook", "L’adresse doit commencer par https://"),
        ("https://10.0.0.8/hook", "réseau privé ou interne"),
        ("https://169.254.169.254/latest/", "réseau privé ou interne"),
        ("https://crm.internal/hook", "réseau interne"),
        ("https://user:motdepasse@crm.example.fr/", "ni de mot de passe"),
        ("crm", "Saisissez une adresse complète"),
    ],
)
def test_a_refused_address_is_explained_in_french_and_kept(
    town_a, in_town, admin_client, url, message
):
    response = add(admin_client, url, description="Mon outil")

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'aria-describedby="id_url-erreur"' in page
    assert 'value="Mon outil"' in page and 'id="id_events_0" checked' in page
    with in_town(town_a):
        assert not Webhook.objects.exists()


def test_localhost_is_refused_unless_allowed(town_a, in_town, admin_client, settings):
    settings.WEBHOOK_ALLOW_LOCALHOST = False
    refused = add(admin_client, "http://localhost:8000/hook")
    assert refused.status_code == 400
    assert "https://" in refused.content.decode()
    settings.WEBHOOK_ALLOW_LOCALHOST = True
    assert add(admin_client, "http://localhost:8000/hook").status_code == 302


def test_an_endpoint_needs_an_event(admin_client):
    response = admin_client.post(LIST, {"url": "https://crm.example.fr/"})
    assert response.status_code == 400
    assert "Cochez au moins un événement." in response.content.decode()


@pytest.mark.parametrize("role", [Role.AGENT, Role.READ_ONLY])
def test_only_admins_reach_the_webhooks(town_a, role):
    webhook = make_webhook(town_a, "https://crm.example.fr/")
    client = logged_in_client(town_a, MembershipFactory(territory=town_a, role=role).user)
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{webhook.pk}/").status_code == 403
    assert add(client, "https://autre.example.fr/").status_code == 403


def test_deleting_asks_for_confirmation(town_a, in_town, admin_client):
    webhook = make_webhook(town_a, "https://crm.example.fr/")
    path = f"{LIST}{webhook.pk}/supprimer/"
    assert "Oui, supprimer le webhook" in admin_client.get(path).content.decode()
    admin_client.post(path)
    with in_town(town_a):
        assert Webhook.objects.exists()
    assert admin_client.post(path, {"confirmation": "oui"})["Location"] == LIST
    with in_town(town_a):
        assert not Webhook.objects.exists()


def test_an_admin_switches_an_endpoint_off_and_on(town_a, in_town, admin_client):
    webhook = make_webhook(town_a, "https://crm.example.fr/")
    path = f"{LIST}{webhook.pk}/activation/"
    assert admin_client.get(path).status_code == 405
    admin_client.post(path)
    with in_town(town_a):
        webhook.refresh_from_db()
    assert not webhook.is_active and "Désactivé par" in webhook.disabled_reason
    admin_client.post(path)
    with in_town(town_a):
        webhook.refresh_from_db()
    assert webhook.is_active and webhook.disabled_at is None


def test_the_log_shows_each_answer_and_a_delivery_is_replayed(town_a, in_town, admin_client):
    webhook = make_webhook(town_a, closed_port_url())
    with in_town(town_a):
        delivery = Delivery.objects.create(
            webhook=webhook,
            event_type="demand.created",
            message_id="msg_1",
            payload="{}",
            next_attempt_at=timezone.now(),
        )
        wake(town_a.schema_name)
    run_webhook_jobs()

    detail = admin_client.get(f"{LIST}{webhook.pk}/").content.decode()
    assert "connexion refusée" in detail and "msg_1" in detail
    page = f"{LIST}{webhook.pk}/envois/{delivery.pk}/"
    assert "connexion refusée" in admin_client.get(page).content.decode()

    assert admin_client.get(page + "renvoyer/").status_code == 405
    response = admin_client.post(page + "renvoyer/")
    assert response["Location"] == page
    with in_town(town_a):
        delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempt_count == 1
    assert django_rq.get_queue("webhooks").count == 1  # sent at once by a job


def test_a_town_b_admin_never_sees_town_a_webhooks(town_a, town_b):
    webhook = make_webhook(town_a, "https://secret-de-a.example.fr/")
    client = logged_in_client(town_b, MembershipFactory(territory=town_b, role=Role.ADMIN).user)
    assert client.get(f"{LIST}{webhook.pk}/").status_code == 404
    assert "secret-de-a" not in client.get(LIST).content.decode()
