"""Town settings: identity with a checked logo, areas, the team (admins only)."""

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shared_apps.accounts.models import Membership, User
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.premises.models import Area
from tenant_apps.townsite.views import own_media
from tests.conftest import client_for, logged_in_client
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(town_a):
    return MembershipFactory(territory=town_a, role="admin").user


@pytest.fixture
def admin_client(town_a, admin):
    return logged_in_client(town_a, admin)


@pytest.fixture
def media(tmp_path, settings):
    """An empty MEDIA_ROOT of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


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


def post_identity(client, file_name, content, **fields):
    data = {"name": "Ville A", "accent_color": "#000091", **fields}
    logo = SimpleUploadedFile(file_name, content, content_type="application/octet-stream")
    return client.post("/gestion/reglages/identite/", {**data, "logo": logo})


# Pillow only warns between 89 and 179 million pixels; production does not turn that
# warning into an error, so neither does this test.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_logo_of_too_many_pixels_is_refused_and_what_was_typed_is_kept(town_a, admin_client):
    content = png(size=(12_000, 12_000))
    assert len(content) < 1024 * 1024  # small on disk, 144 million pixels once drawn

    response = post_identity(
        admin_client, "logo.png", content, name="Ville A-sur-Mer", accent_color="#18753c"
    )

    assert response.status_code == 400
    assert "Ce logo est trop grand (12000 × 12000 pixels)" in response.text
    assert 'value="Ville A-sur-Mer"' in response.text
    assert 'value="#18753c"' in response.text
    town_a.refresh_from_db()
    assert (town_a.name, town_a.logo.name) == ("Ville A", "")


def test_a_large_logo_is_stored_reduced(town_a, admin_client, media):
    assert post_identity(admin_client, "logo.png", png(size=(3000, 1500))).status_code == 302
    town_a.refresh_from_db()
    with Image.open(town_a.logo.path) as stored:
        assert (stored.format, stored.size) == ("PNG", (1000, 500))


@pytest.mark.parametrize(
    ("name", "fmt", "stem", "extension", "content_type"),
    [
        ("logo.pdf", "PNG", "logo", ".png", "image/png"),
        ("logo.ps", "PNG", "logo", ".png", "image/png"),
        ("logo.eps", "PNG", "logo", ".png", "image/png"),
        ("logo.ico", "PNG", "logo", ".png", "image/png"),
        ("logo.png", "JPEG", "logo", ".jpg", "image/jpeg"),
        ("Logo Ville.PNG", "WEBP", "Logo_Ville", ".webp", "image/webp"),
    ],
)
def test_a_logo_is_stored_and_served_under_the_extension_of_its_real_format(
    town_a, admin_client, rf, media, name, fmt, stem, extension, content_type
):
    assert post_identity(admin_client, name, png(fmt=fmt)).status_code == 302

    town_a.refresh_from_db()
    stored = Path(town_a.logo.name)
    assert stored.stem.startswith(stem) and stored.suffix == extension
    with Image.open(town_a.logo.path) as stored:
        assert stored.format == fmt
    request = rf.get(town_a.logo.url)
    request.tenant = town_a
    served = own_media(request, town_a.schema_name, town_a.logo.name.partition("/")[2])
    served.close()
    assert served["Content-Type"] == content_type


def test_a_replaced_or_removed_logo_is_deleted_from_storage(town_a, admin_client, media):
    post_identity(admin_client, "logo.png", png())
    town_a.refresh_from_db()
    first = Path(town_a.logo.path)

    assert post_identity(admin_client, "logo.png", png(size=(80, 40))).status_code == 302

    town_a.refresh_from_db()
    second = Path(town_a.logo.path)
    assert second != first and second.exists()
    assert not first.exists()
    assert [path.name for path in second.parent.iterdir()] == [second.name]

    response = admin_client.post(
        "/gestion/reglages/identite/",
        {"name": "Ville A", "accent_color": "#000091", "logo-clear": "on"},
    )
    assert response.status_code == 302
    town_a.refresh_from_db()
    assert not town_a.logo
    assert not second.exists()


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
    code = re.search(r"^(\d{6})$", mail.outbox[-1].body, re.M).group(1)
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
