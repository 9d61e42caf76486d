"""A call's printable sheet in the kit: its conditions and deadline, a QR code that leads
to its public page; a draft has none, nor has another town's call."""

import subprocess

import pytest
import zxingcpp
from PIL import Image

from tests.conftest import logged_in_client
from tests.factories import MembershipFactory
from tests.tenant_apps.calls.factories import CallFactory
from tests.tenant_apps.kit.test_kit import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(town_a):
    return logged_in_client(town_a, MembershipFactory(territory=town_a).user)


def first_page(pdf, folder):
    (folder / "sheet.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-singlefile", "sheet.pdf", "sheet"],
        cwd=folder,
        check=True,
    )
    return Image.open(folder / "sheet.png")


def test_a_calls_sheet_carries_its_conditions_and_a_qr_code_to_its_page(
    town_a, in_town, staff, tmp_path
):
    with in_town(town_a):
        call = CallFactory(title="Boutique à l’essai du Marché")
    assert f"/gestion/kit/appels/{call.pk}.pdf" in staff.get("/gestion/kit/").content.decode()

    response = staff.get(f"/gestion/kit/appels/{call.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Boutique à l’essai du Marché" in text and "Ville A" in text
    assert "Candidatures jusqu’au" in text and "800 €" in text
    url = f"http://ville-a.localhost:8000/appels/{call.pk}/"
    assert [
        result.text for result in zxingcpp.read_barcodes(first_page(response.content, tmp_path))
    ] == [url]

    svg = staff.get(f"/gestion/kit/appels/{call.pk}-qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<?xml")


def test_a_draft_or_another_towns_call_has_no_sheet(town_a, town_b, in_town, staff):
    with in_town(town_a):
        draft = CallFactory(draft=True, title="Brouillon")
    with in_town(town_b):
        other = CallFactory(title="Appel de B", pk=900_070)
    assert "Brouillon" not in staff.get("/gestion/kit/").content.decode()
    assert staff.get(f"/gestion/kit/appels/{draft.pk}.pdf").status_code == 404
    assert staff.get(f"/gestion/kit/appels/{other.pk}.pdf").status_code == 404
    assert staff.get(f"/gestion/kit/appels/{other.pk}-qr.svg").status_code == 404
