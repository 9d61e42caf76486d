"""Uploads that lie about what they are: the town's logo. (The SVG named .png, the GIF
and the padded PNG are in tests/tenant_apps/backoffice/test_settings.py; premises photos
in tests/tenant_apps/premises/test_backoffice.py.)"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shared_apps.accounts.enums import Role
from tests.conftest import logged_in_client
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def png(size, mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
LIES = {
    # An HTML page that starts like a PNG: browsers sniffing it would run the script.
    "html-behind-png-magic": (
        "logo.png",
        PNG_MAGIC + b"<html><script>alert(document.cookie)</script></html>",
    ),
    # A real PNG cut short: the header says image, the pixels are not there.
    "truncated-png": ("logo.png", png((200, 200))[:60]),
    # A few kilobytes that would decode to 196 million pixels.
    "pixel-bomb": ("logo.png", png((14_000, 14_000), mode="1")),
    # A PDF (or any document) renamed and sent as image/png.
    "pdf-as-png": ("logo.png", b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
    # An executable renamed.
    "executable-as-webp": ("logo.webp", b"MZ\x90\x00" + b"\x00" * 200),
}


@pytest.mark.parametrize(("name", "content"), LIES.values(), ids=LIES.keys())
def test_a_logo_that_lies_about_its_type_is_refused_in_french(town_a, name, content):
    admin = logged_in_client(town_a, MembershipFactory(territory=town_a, role=Role.ADMIN).user)

    response = admin.post(
        "/gestion/reglages/identite/",
        {
            "name": "Ville A",
            "accent_color": "#000091",
            "logo": SimpleUploadedFile(name, content, content_type="image/png"),
        },
    )

    assert response.status_code == 400
    assert "Téléversez une image valide" in response.text or "PNG, JPEG ou WebP" in response.text
    town_a.refresh_from_db()
    assert not town_a.logo
