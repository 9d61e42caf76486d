"""The communication kit: PDFs with the town's identity, a QR code to the right form,
texts, a social image, and an embed allowed only where the town says."""

import io
import subprocess

import pytest
import zxingcpp
from django.core.files.base import ContentFile
from PIL import Image

from tenant_apps.kit.documents import printable_logo
from tenant_apps.townsite.models import TownSettings
from tests.conftest import client_for, logged_in_client
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(town_a):
    return logged_in_client(town_a, MembershipFactory(territory=town_a).user)


def png_bytes(size):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#b34000").save(buffer, "PNG")
    return buffer.getvalue()


def pdf_text(content):
    return subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.parametrize(("path", "size"), [("affiche.pdf", "A4"), ("flyer.pdf", "A5")])
def test_the_printable_documents_carry_the_towns_name_and_form_address(town_a, staff, path, size):
    response = staff.get(f"/gestion/kit/{path}")
    assert response.status_code == 200
    name, extension = path.split(".")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{name}-{town_a.slug}.{extension}"'
    )
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Ville A" in text
    assert "http://ville-a.localhost:8000/demande/" in text


def test_the_posters_carry_the_towns_logo(town_a, staff, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    town_a.logo.save("logo.png", ContentFile(png_bytes((400, 200))))
    assert printable_logo(town_a).startswith("file://")
    assert b"/Subtype /Image" in staff.get("/gestion/kit/affiche.pdf").content


# A logo stored before uploads were capped; production only warns below 179 million pixels.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_logo_of_too_many_pixels_stored_earlier_is_left_out_of_the_posters(
    town_a, staff, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    town_a.logo.save("ancien.png", ContentFile(png_bytes((12_000, 12_000))))

    assert printable_logo(town_a) == ""
    response = staff.get("/gestion/kit/affiche.pdf")
    assert response.status_code == 200
    assert b"/Subtype /Image" not in response.content
    assert "Ville A" in pdf_text(response.content)


def test_the_qr_code_decodes_to_the_towns_form(town_a, staff):
    png = staff.get("/gestion/kit/reseaux-sociaux.png")
    assert png["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    assert image.size == (1200, 630)
    decoded = [result.text for result in zxingcpp.read_barcodes(image)]
    assert decoded == ["http://ville-a.localhost:8000/demande/"]


def test_the_kit_page_offers_texts_and_the_embed_snippet(town_a, staff):
    page = staff.get("/gestion/kit/")
    assert "Pour les agences immobilières" in page.text
    assert "&lt;iframe src=&quot;http://ville-a.localhost:8000/demande/integree/&quot;" in page.text


def test_the_form_may_be_framed_only_by_the_declared_sites(town_a, in_town):
    response = client_for(town_a).get("/demande/")
    assert "frame-ancestors 'self';" in response["Content-Security-Policy"] + ";"
    assert response["X-Frame-Options"] == "DENY"
    with in_town(town_a):
        TownSettings.objects.update_or_create(
            pk=1, defaults={"embed_domains": "https://www.ville-a.fr"}
        )
    response = client_for(town_a).get("/demande/")
    policy = response["Content-Security-Policy"] + ";"
    assert "frame-ancestors 'self' https://www.ville-a.fr;" in policy
    assert "script-src 'self';" in policy  # the rest of the site's policy still applies
    assert "X-Frame-Options" not in response
    # The back-office is never framed.
    back_office = client_for(town_a).get("/gestion/")
    assert back_office["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in back_office["Content-Security-Policy"]


def test_declared_sites_are_checked(town_a):
    admin = logged_in_client(town_a, MembershipFactory(territory=town_a, role="admin").user)
    response = admin.post(
        "/gestion/reglages/",
        {
            "embed_domains": "javascript:alert(1)",
            "retention_months": "36",
            "ask_still_searching_after_days": "30",
            "dormant_after_days": "15",
            "remind_team_after_days": "3",
        },
    )
    assert response.status_code == 400
    assert "n’est pas une adresse de site" in response.text


def test_another_towns_staff_gets_no_kit(town_a, town_b):
    outsider = client_for(town_a)
    outsider.post(
        "/compte/login/",
        {
            "login": MembershipFactory(territory=town_b).user.email,
            "password": "motdepasse-de-test-2026",
        },
    )
    assert outsider.get("/gestion/kit/affiche.pdf").status_code == 403
