"""The premises pages of the back-office: staff of the town only, each town its own
premises, creation with errors kept, state changes, photos, import, map, matches."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from tenant_apps.network.models import NetworkMember
from tenant_apps.premises.matching import KEEP_PER_PREMISES
from tenant_apps.premises.models import Match, Premises
from tests.conftest import logged_in_client
from tests.factories import (
    DemandFactory,
    MembershipFactory,
    NetworkMemberFactory,
    PartnerFactory,
    PremisesFactory,
)

pytestmark = pytest.mark.django_db


def staff(town, role="agent"):
    return logged_in_client(town, MembershipFactory(territory=town, role=role).user)


def image_file(size=(2400, 1800), fmt="PNG", name="vitrine.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#a0522d").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def test_a_town_never_shows_or_changes_another_towns_premises(town_a, town_b, in_town):
    with in_town(town_a):
        secret = PremisesFactory(address="7 rue Secrète, Ville A")
    client_b = staff(town_b, role="admin")

    assert "rue Secrète" not in client_b.get("/gestion/locaux/").text
    assert "rue Secrète" not in client_b.get("/gestion/locaux/carte/").text
    assert client_b.get(f"/gestion/locaux/{secret.pk}/").status_code == 404
    assert client_b.get(f"/gestion/locaux/{secret.pk}/modifier/").status_code == 404
    response = client_b.post(f"/gestion/locaux/{secret.pk}/etat/", {"state": "let"})
    assert response.status_code == 404
    with in_town(town_a):
        assert Premises.objects.get(pk=secret.pk).state == "vacant"


def test_staff_of_one_town_are_refused_in_another(town_a, town_b, in_town):
    with in_town(town_a):
        premises = PremisesFactory()
    client_b_on_a = logged_in_client(town_a, MembershipFactory(territory=town_b).user)

    assert client_b_on_a.get(f"/gestion/locaux/{premises.pk}/").status_code == 403
    assert client_b_on_a.get("/gestion/locaux/carte/").status_code == 403


def test_read_only_staff_see_premises_but_cannot_change_them(town_a, in_town):
    with in_town(town_a):
        premises = PremisesFactory()
    client = staff(town_a, role="read_only")

    assert client.get(f"/gestion/locaux/{premises.pk}/").status_code == 200
    assert client.get("/gestion/locaux/nouveau/").status_code == 403
    assert client.post(f"/gestion/locaux/{premises.pk}/etat/", {"state": "let"}).status_code == 403


def test_a_premises_created_with_errors_keeps_what_was_typed(town_a):
    client = staff(town_a)

    response = client.post(
        "/gestion/locaux/nouveau/",
        {"address": "9 rue Neuve", "kind": "shop", "surface": "douze", "state": "vacant"},
    )

    assert response.status_code == 400
    assert "Indiquez la surface en m², en chiffres." in response.text
    assert 'value="9 rue Neuve"' in response.text


def test_a_new_premises_shows_the_open_demands_it_suits(town_a, in_town, geocoder):
    geocoder("error")
    with in_town(town_a):
        demand = DemandFactory(surface_min=40, surface_max=90, monthly_budget=1200)
    client = staff(town_a)

    response = client.post(
        "/gestion/locaux/nouveau/",
        {
            "address": "9 rue Neuve",
            "kind": "shop",
            "surface": "60",
            "monthly_rent": "1296",
            "state": "vacant",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "Il correspond à 1 demande en cours, dont 1 nouvelle." in response.text
    assert "placez le local sur la carte" in response.text  # geocoder down
    assert demand.reference in response.text
    assert "loyer au-dessus du budget de 8 %" in response.text
    assert demand.reference in client.get("/gestion/locaux/correspondances/").text
    demand_page = client.get(f"/gestion/demandes/{demand.reference}/")
    assert "9 rue Neuve" in demand_page.text
    assert "surface dans la fourchette" in demand_page.text


def scorings(queries):
    """How many times the matching SELECT (tenant_apps.premises.matching.SCORED) ran."""
    return sum("WITH pairs AS" in query["sql"] for query in queries)


@pytest.mark.parametrize(
    ("url", "state"), [("nouveau", "vacant"), ("modifier", "vacant"), ("modifier", "works")]
)
def test_saving_a_premises_scores_its_matches_once(town_a, in_town, url, state):
    suited = KEEP_PER_PREMISES + 2  # more than are stored: the message still counts them all
    with in_town(town_a):
        DemandFactory.create_batch(suited)
        premises = PremisesFactory(surface=20)  # too small for any demand
    client = staff(town_a)
    path = (
        "/gestion/locaux/nouveau/"
        if url == "nouveau"
        else f"/gestion/locaux/{premises.pk}/modifier/"
    )
    data = {
        "address": "9 rue Neuve" if url == "nouveau" else premises.address,
        "kind": "shop",
        "surface": "60",
        "monthly_rent": "1000",
        "state": state,
        "latitude": "43.5",
        "longitude": "6.4",
    }

    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, data)

    assert response.status_code == 302
    assert scorings(queries) == 1
    message = f"Il correspond à {suited} demandes en cours, dont {KEEP_PER_PREMISES} nouvelles."
    assert message in client.get(response.url).text
    with in_town(town_a):
        saved = Premises.objects.get(address=data["address"])
        assert Match.objects.filter(premises=saved).count() == KEEP_PER_PREMISES


def test_changing_the_state_records_it_in_the_history(town_a, in_town):
    with in_town(town_a):
        premises = PremisesFactory()
    client = staff(town_a)

    response = client.post(
        f"/gestion/locaux/{premises.pk}/etat/", {"state": "let", "note": "Bail signé"}, follow=True
    )

    assert "État : Loué." in response.text
    assert "Vacant → Loué" in response.text
    assert "Bail signé" in response.text
    bad = client.post(f"/gestion/locaux/{premises.pk}/etat/", {"state": "demolished"})
    assert bad.status_code == 400


def test_a_photo_is_resized_and_stored_in_the_towns_folder(town_a, in_town):
    with in_town(town_a):
        premises = PremisesFactory()
    client = staff(town_a)

    response = client.post(
        f"/gestion/locaux/{premises.pk}/photos/", {"image": image_file(), "caption": "Vitrine"}
    )

    assert response.status_code == 302
    with in_town(town_a):
        photo = premises.photos.get()
        path = Path(photo.image.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / town_a.schema_name / "locaux")
    with Image.open(path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 1600


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.png", b"not an image at all"), "pas une image lisible"),
        (image_file(fmt="GIF", name="x.gif"), "JPEG, PNG ou WebP"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused(town_a, in_town, upload, message):
    with in_town(town_a):
        premises = PremisesFactory()

    response = staff(town_a).post(f"/gestion/locaux/{premises.pk}/photos/", {"image": upload})

    assert response.status_code == 400
    assert message in response.text
    with in_town(town_a):
        assert not premises.photos.exists()


def test_the_import_page_reports_rejected_lines(town_a, in_town):
    csv = "adresse;type;surface\n1 rue Haute;Boutique;50\n2 rue Basse;Boutique;-3\n"
    upload = SimpleUploadedFile("locaux.csv", csv.encode(), content_type="text/csv")

    response = staff(town_a).post("/gestion/locaux/import/", {"file": upload})

    assert response.status_code == 200
    assert "1 local importé, 1 ligne refusée" in response.text
    assert "2 rue Basse;Boutique;-3" in response.text
    with in_town(town_a):
        assert list(Premises.objects.values_list("address", flat=True)) == ["1 rue Haute"]


def test_the_import_template_downloads_as_an_attachment(town_a):
    response = staff(town_a).get("/gestion/locaux/import/modele.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="modele-import-locaux.csv"'
    assert response.content.decode("utf-8-sig").startswith("adresse;quartier;type;surface;")


def test_the_map_lists_every_premises_and_places_the_located_ones(town_a, in_town):
    with in_town(town_a):
        PremisesFactory(address="1 rue Placée", latitude=43.5, longitude=6.4)
        PremisesFactory(address="2 rue Perdue", latitude=None, longitude=None)

    response = staff(town_a).get("/gestion/locaux/carte/")

    assert response.status_code == 200
    assert response.context["map_data"]["premises"][0]["label"] == "1 rue Placée"
    assert len(response.context["map_data"]["premises"]) == 1
    assert "2 rue Perdue" in response.text and "non localisé" in response.text
    assert "/static/leaflet/leaflet.js" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/gestion/locaux/?quartier=99999999999999999999&page=abc&etat=<b>&type=%00",
        "/gestion/locaux/99999999999999999999/",
        "/gestion/locaux/1/modifier/",
    ],
)
def test_odd_addresses_give_a_page_or_a_404_never_an_error(town_a, path):
    response = staff(town_a).get(path)

    assert response.status_code in (200, 404)


def test_the_manager_is_one_of_the_town_s_network_partners_only(town_a, town_b, in_town):
    ours = PartnerFactory(name="Agence du Beffroi")
    theirs = PartnerFactory(name="Agence de Ville B")
    asking = PartnerFactory(name="Agence qui demande")
    with in_town(town_a):
        NetworkMemberFactory(partner=ours)
        NetworkMemberFactory(partner=asking, status="requested")
    with in_town(town_b):
        NetworkMemberFactory(partner=theirs)
    client = staff(town_a)

    form = client.get("/gestion/locaux/nouveau/").text
    assert "Agence du Beffroi" in form
    assert "Agence de Ville B" not in form and "Agence qui demande" not in form

    typed = {"address": "9 rue Neuve", "kind": "shop", "surface": "60", "state": "vacant"}
    refused = client.post("/gestion/locaux/nouveau/", {**typed, "managing_partner": theirs.pk})
    assert refused.status_code == 400
    assert "Choisissez un partenaire du réseau de la collectivité" in refused.text
    assert 'value="9 rue Neuve"' in refused.text
    with in_town(town_a):
        assert not Premises.objects.exists()

    client.post("/gestion/locaux/nouveau/", {**typed, "managing_partner": ours.pk})
    with in_town(town_a):
        premises = Premises.objects.get()
        assert premises.managing_partner == ours
    # A manager that has left the network stays on its premises when they are edited.
    with in_town(town_a):
        NetworkMember.objects.filter(partner=ours).update(status="left")
    edit = client.get(f"/gestion/locaux/{premises.pk}/modifier/").text
    assert "Agence du Beffroi" in edit

    csv = "adresse;type;surface;gestionnaire\n1 rue Haute;Boutique;50;Agence de Ville B\n"
    upload = SimpleUploadedFile("locaux.csv", csv.encode(), content_type="text/csv")
    response = client.post("/gestion/locaux/import/", {"file": upload})
    assert "partenaire inconnu du réseau de la collectivité" in response.text
