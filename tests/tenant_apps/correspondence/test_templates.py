"""The town's email templates, in the settings: admins only, placeholders checked on save,
deletion confirmed, each town its own."""

import pytest
from django.apps import apps

from tenant_apps.correspondence.models import EmailTemplate, ReadyTemplates
from tenant_apps.correspondence.signals import give_migrated_town_its_templates
from tests.conftest import logged_in_client
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = "/gestion/reglages/modeles-de-courriel/"


@pytest.fixture
def admin(town_a):
    return logged_in_client(town_a, MembershipFactory(territory=town_a, role="admin").user)


def test_every_town_starts_with_the_ready_templates(town_a, town_b, in_town):
    for town in (town_a, town_b):
        with in_town(town):
            names = set(EmailTemplate.objects.values_list("name", flat=True))
        assert names == {"Premier contact", "Locaux proposés", "Demande de précisions"}


def test_a_town_migrated_after_the_app_arrived_gets_them_once(town_a, in_town):
    config = apps.get_app_config("correspondence")
    with in_town(town_a):
        ReadyTemplates.objects.all().delete()
        EmailTemplate.objects.all().delete()
        give_migrated_town_its_templates(sender=config, app_config=config)
        assert EmailTemplate.objects.count() == 3
        EmailTemplate.objects.filter(name="Premier contact").delete()
        give_migrated_town_its_templates(sender=config, app_config=config)  # next migration
        assert EmailTemplate.objects.count() == 2  # a deleted template stays deleted


def test_the_settings_have_a_templates_tab(admin):
    response = admin.get("/gestion/reglages/")
    assert f'href="{URL}"' in response.text
    listing = admin.get(URL)
    assert listing.status_code == 200
    assert '<table class="stack">' in listing.text
    assert 'data-label="Objet">Votre demande {reference} : faisons connaissance' in listing.text


def test_admins_add_a_template(admin, town_a, in_town):
    response = admin.post(
        URL, {"name": "Visite", "subject": "Visite du local", "body": "Bonjour {prenom}, {agent}"}
    )
    assert response.status_code == 302
    with in_town(town_a):
        assert EmailTemplate.objects.get(name="Visite").body == "Bonjour {prenom}, {agent}"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Bonjour {prénom}", "Le champ {prénom} n’existe pas"),
        ("Bonjour {prenom.__class__}", "n’existe pas"),
        ("Bonjour {prenom!r}", "Le champ {prenom!r} n’existe pas"),
        ("Bonjour {prenom", "Une accolade est seule"),
    ],
)
def test_unknown_placeholders_are_refused_and_the_text_kept(admin, town_a, in_town, body, message):
    response = admin.post(URL, {"name": "Essai", "subject": "Objet", "body": body})

    assert response.status_code == 400
    assert message in response.text
    assert body in response.text
    with in_town(town_a):
        assert not EmailTemplate.objects.filter(name="Essai").exists()


def test_a_doubled_brace_is_a_brace(admin, town_a, in_town):
    response = admin.post(URL, {"name": "Accolades", "subject": "Objet", "body": "{{prenom}}"})
    assert response.status_code == 302


def test_admins_edit_a_template(admin, town_a, in_town):
    with in_town(town_a):
        template = EmailTemplate.objects.get(name="Premier contact")
    response = admin.post(
        f"{URL}{template.pk}/", {"name": "Premier appel", "subject": "Bonjour", "body": "{ville}"}
    )
    assert response.status_code == 302
    with in_town(town_a):
        template.refresh_from_db()
    assert (template.name, template.body) == ("Premier appel", "{ville}")


def test_deleting_a_template_asks_first(admin, town_a, in_town):
    with in_town(town_a):
        template = EmailTemplate.objects.get(name="Premier contact")
    delete = f"{URL}{template.pk}/supprimer/"

    question = admin.get(delete)
    admin.post(delete)  # no confirmation=oui: nothing happens

    assert 'name="confirmation" value="oui"' in question.text
    with in_town(town_a):
        assert EmailTemplate.objects.filter(pk=template.pk).exists()
    assert admin.post(delete, {"confirmation": "oui"}).status_code == 302
    with in_town(town_a):
        assert not EmailTemplate.objects.filter(pk=template.pk).exists()


@pytest.mark.parametrize("role", ["agent", "read_only"])
def test_only_admins_manage_templates(town_a, in_town, role):
    client = logged_in_client(town_a, MembershipFactory(territory=town_a, role=role).user)
    with in_town(town_a):
        template = EmailTemplate.objects.first()
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"name": "X", "subject": "X", "body": "X"}).status_code == 403
    assert client.post(f"{URL}{template.pk}/supprimer/", {"confirmation": "oui"}).status_code == 403
    with in_town(town_a):
        assert EmailTemplate.objects.filter(pk=template.pk).exists()
        assert not EmailTemplate.objects.filter(name="X").exists()


def test_a_town_never_reaches_another_towns_templates(admin, town_a, town_b, in_town):
    with in_town(town_b):
        theirs = EmailTemplate.objects.create(name="Secret de B", subject="B", body="B")

    assert "Secret de B" not in admin.get(URL).text
    assert admin.get(f"{URL}{theirs.pk}/").status_code == 404
    assert admin.post(f"{URL}{theirs.pk}/supprimer/", {"confirmation": "oui"}).status_code == 404
    with in_town(town_b):
        assert EmailTemplate.objects.filter(pk=theirs.pk).exists()
