"""Town settings: identity with a checked logo, areas, the team (admins only)."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shared_apps.accounts.models import Membership, User
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.premises.models import Area
from tests.conftest import client_for, logged_in_client
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(town_a):
    return MembershipFactory(territory=town_a, role="admin").user


@pytest.fixture
def admin_client(town_a, admin):
    return logged_in_client(town_a, admin)


def png(size=(60, 30), fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#b34000").save(buffer, fmt)
    return buffer.getvalue()


def test_the_identity_changes_the_town_site(town_a, admin_client, settings):
    response = admin_client.post(
        "/gestion/reglages/identite/",
        {
            "name": "Ville A-sur-Mer",
            "accent_color": "#18753c",
            "logo": SimpleUploadedFile("logo.png", png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    town_a.refresh_from_db()
    assert town_a.name == "Ville A-sur-Mer"
    assert town_a.logo.name.startswith(f"{town_a.schema_name}/identity/")
    home = client_for(town_a).get("/")
    assert "Ville A-sur-Mer" in home.text and "--town-accent: #18753c" in home.text
    assert f"/media/{town_a.schema_name}/identity/" in home.text


def test_in_development_a_town_serves_only_its_own_uploads(town_a, town_b, rf):
    from django.http import Http404

    from tenant_apps.townsite.views import own_media

    request = rf.get("/media/")
    request.tenant = town_a
    with pytest.raises(Http404):
        own_media(request, town_b.schema_name, "identity/logo.png")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"<svg onload=alert(1)></svg>", "Téléversez une image valide"),
        ("logo.gif", None, "PNG, JPEG ou WebP"),
        ("big.png", "big", "moins de 1 Mo"),
    ],
)
def test_a_logo_that_is_not_a_small_image_is_refused(town_a, admin_client, name, content, message):
    if content is None:
        content = png(fmt="GIF")
    elif content == "big":
        content = png() + b"\0" * (1024 * 1024)  # a real PNG, padded past 1 MB
    response = admin_client.post(
        "/gestion/reglages/identite/",
        {
            "name": "Ville A",
            "accent_color": "#000091",
            "logo": SimpleUploadedFile(name, content, content_type="image/png"),
        },
    )
    assert response.status_code == 400
    assert message in response.text
    town_a.refresh_from_db()
    assert not town_a.logo


def test_areas_are_added_and_removed(town_a, in_town, admin_client):
    assert (
        admin_client.post(
            "/gestion/reglages/quartiers/", {"name": "Port", "is_priority": "on"}
        ).status_code
        == 302
    )
    duplicate = admin_client.post("/gestion/reglages/quartiers/", {"name": "Port"})
    assert "Ce quartier existe déjà." in duplicate.text
    with in_town(town_a):
        area = Area.objects.get(name="Port")
        assert area.is_priority
    admin_client.post(f"/gestion/reglages/quartiers/{area.pk}/supprimer/")
    with in_town(town_a):
        assert not Area.objects.exists()


def test_an_invited_person_gets_an_email_and_can_sign_in_by_code(town_a, in_town, admin_client):
    response = admin_client.post(
        "/gestion/reglages/equipe/", {"email": "Nouvel.Agent@example.fr", "role": "agent"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvel.agent@example.fr")
    assert Membership.objects.get(user=user, territory=town_a).role == "agent"
    with in_town(town_a):
        invitation = OutboundEmail.objects.get(to="nouvel.agent@example.fr")
    assert "/compte/login/code/" in invitation.body

    client = client_for(town_a)
    client.post("/compte/login/code/", {"email": "nouvel.agent@example.fr"})
    code = [line for line in mail.outbox[-1].body.splitlines() if "-" in line and len(line) == 9][0]
    client.post("/compte/login/code/confirm/", {"code": code})
    assert client.get("/gestion/").status_code == 200


def test_inviting_a_member_twice_says_so(town_a, admin, admin_client):
    response = admin_client.post(
        "/gestion/reglages/equipe/", {"email": admin.email, "role": "agent"}
    )
    assert response.status_code == 400
    assert "fait déjà partie de l’équipe" in response.text


def test_a_deactivated_member_loses_access(town_a, admin_client):
    member = MembershipFactory(territory=town_a, role="agent")
    admin_client.post(
        f"/gestion/reglages/equipe/{member.pk}/", {"role": "agent", "confirmation": "oui"}
    )
    member.refresh_from_db()
    assert not member.is_active
    assert logged_in_client(town_a, member.user).get("/gestion/").status_code == 403


@pytest.mark.parametrize("confirmation", [None, "", "non"])
def test_deactivating_a_member_asks_for_confirmation_first(town_a, admin_client, confirmation):
    member = MembershipFactory(territory=town_a, role="agent")
    data = {"role": "agent"} | ({"confirmation": confirmation} if confirmation is not None else {})

    response = admin_client.post(f"/gestion/reglages/equipe/{member.pk}/", data)

    assert response.status_code == 200
    assert f"Désactiver {member.user.get_full_name()}" in response.text
    assert 'name="confirmation" value="oui"' in response.text
    assert 'name="role" value="agent"' in response.text
    member.refresh_from_db()
    assert member.is_active


def test_other_changes_to_a_member_need_no_confirmation(town_a, admin_client):
    member = MembershipFactory(territory=town_a, role="agent")
    response = admin_client.post(
        f"/gestion/reglages/equipe/{member.pk}/", {"role": "admin", "is_active": "on"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.role, member.is_active) == ("admin", True)


def test_the_last_admin_cannot_step_down(town_a, admin, admin_client):
    membership = Membership.objects.get(user=admin, territory=town_a)
    response = admin_client.post(
        f"/gestion/reglages/equipe/{membership.pk}/",
        {"role": "agent", "is_active": "on"},
        follow=True,
    )
    assert "au moins un administrateur actif" in response.text
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_an_admin_cannot_touch_another_towns_memberships(town_a, town_b, admin_client):
    other = MembershipFactory(territory=town_b, role="admin")
    response = admin_client.post(f"/gestion/reglages/equipe/{other.pk}/", {"role": "agent"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.is_active and other.role == "admin"


@pytest.mark.parametrize(
    "path",
    ["/gestion/reglages/identite/", "/gestion/reglages/quartiers/", "/gestion/reglages/equipe/"],
)
def test_agents_cannot_manage_the_town(town_a, path):
    agent = logged_in_client(town_a, MembershipFactory(territory=town_a, role="agent").user)
    assert agent.get(path).status_code == 403
    assert (
        agent.post(path, {"email": "x@example.fr", "role": "admin", "name": "X"}).status_code == 403
    )
