"""PremisesForm: validation in French, geocoding with its fallbacks, history on save,
and the partner's variant."""

import pytest

from shared_apps.partners.models import Partner
from tenant_apps.premises.forms import PremisesForm
from tenant_apps.premises.models import Premises

pytestmark = pytest.mark.django_db

VALID = {
    "address": "12 bd Clemenceau, 83300 Draguignan",
    "kind": "shop",
    "surface": "65",
    "monthly_rent": "950",
    "state": "vacant",
}


@pytest.fixture
def town(town_a, in_town):
    with in_town(town_a):
        yield town_a


def test_a_new_premises_is_placed_by_the_geocoder_and_starts_its_history(town, geocoder):
    geocoder("found")
    form = PremisesForm(VALID)
    assert form.is_valid(), form.errors

    premises = form.save()

    assert (premises.latitude, premises.longitude) == (43.537198, 6.464712)
    assert premises.location_source == "geocoder"
    assert list(premises.state_changes.values_list("from_state", "to_state")) == [("", "vacant")]
    assert premises.vacant_since is not None


@pytest.mark.parametrize("mode", ["slow", "error", "nothing"])
def test_when_the_geocoder_fails_the_premises_is_saved_unlocated(town, geocoder, mode):
    geocoder(mode)
    form = PremisesForm(VALID)
    assert form.is_valid()

    premises = form.save()

    assert form.geocoding_failed
    assert Premises.objects.get(pk=premises.pk).latitude is None


def test_typed_coordinates_win_over_the_geocoder(town, geocoder):
    queries = geocoder("found")
    form = PremisesForm({**VALID, "latitude": "43.5", "longitude": "6.47"})
    assert form.is_valid(), form.errors

    premises = form.save()

    assert (premises.latitude, premises.longitude) == (43.5, 6.47)
    assert premises.location_source == "manual"
    assert queries == []


def test_a_changed_address_is_geocoded_again(town, geocoder):
    geocoder("found")
    premises = Premises.objects.create(
        address="1 rue Ancienne", kind="shop", surface=40, latitude=43.1, longitude=6.1
    )
    form = PremisesForm({**VALID, "latitude": "43.1", "longitude": "6.1"}, instance=premises)
    assert form.is_valid(), form.errors

    form.save()

    premises.refresh_from_db()
    assert (premises.latitude, premises.longitude) == (43.537198, 6.464712)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"surface": ""}, "surface", "Indiquez la surface en m²."),
        ({"surface": "abc"}, "surface", "Indiquez la surface en m², en chiffres."),
        ({"surface": "0"}, "surface", "La surface doit être d’au moins 1 m²."),
        ({"monthly_rent": "99999999"}, "monthly_rent", "10 000 000 € au plus"),
        ({"latitude": "43.5"}, "longitude", "Indiquez la latitude et la longitude"),
        ({"latitude": "95", "longitude": "6"}, "latitude", "entre -90 et 90"),
        ({"kind": "castle"}, "kind", "Sélectionnez un choix valide"),
        ({"available_from": "31/02/2027"}, "available_from", "Saisissez une date valide"),
    ],
)
def test_bad_input_is_refused_in_french(town, data, field, message):
    form = PremisesForm({**VALID, **data})

    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_a_partner_manages_the_premises_it_posts_and_cannot_choose_another(town):
    partner = Partner.objects.create(name="Agence du Centre", kind="agency")
    other = Partner.objects.create(name="Autre agence", kind="agency")
    form = PremisesForm({**VALID, "managing_partner": other.pk}, partner=partner)
    assert "managing_partner" not in form.fields
    assert form.is_valid(), form.errors

    premises = form.save()

    assert premises.managing_partner == partner
    assert premises.state_changes.get().partner == partner


def test_a_state_changed_in_the_form_goes_through_the_history(town):
    first = PremisesForm(VALID)
    assert first.is_valid()
    premises = first.save()
    form = PremisesForm({**VALID, "state": "let"}, instance=premises)
    assert form.is_valid(), form.errors

    form.save()

    assert list(premises.state_changes.values_list("to_state", flat=True)) == ["vacant", "let"]


def test_a_photo_of_too_many_pixels_is_refused_before_decoding(town_a, in_town):
    import io

    from PIL import Image

    from tenant_apps.premises.forms import PhotoForm
    from tests.factories import PremisesFactory

    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, "PNG")  # 48 Mpx, a few kB
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("immense.png", buffer.getvalue(), content_type="image/png")
    with in_town(town_a):
        form = PhotoForm(files={"image": upload}, premises=PremisesFactory())
        assert not form.is_valid()
        assert "trop grande" in form.errors["image"][0]
