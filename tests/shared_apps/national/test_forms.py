"""The console's town form refuses what the onboarding refuses, with the same words."""

import pytest

from shared_apps.national.forms import TerritoryForm
from tenants.enums import TerritoryKind

pytestmark = pytest.mark.django_db


def town_data(**fields):
    return {
        "name": "Ville C",
        "slug": "ville-c",
        "kind": TerritoryKind.COMMUNE,
        "accent_color": "#000091",
        **fields,
    }


@pytest.mark.parametrize("slug", ["www", "static", "admin", "national", "town-x", "WWW"])
def test_a_reserved_address_is_refused_next_to_the_field(slug):
    form = TerritoryForm(data=town_data(slug=slug))

    assert not form.is_valid()
    assert form.errors["slug"] == ["Cette adresse est réservée : choisissez-en une autre."]


def test_a_town_cannot_move_to_a_reserved_address(town_a):
    form = TerritoryForm(data=town_data(name=town_a.name, slug="www"), instance=town_a)

    assert not form.is_valid()
    assert form.errors["slug"] == ["Cette adresse est réservée : choisissez-en une autre."]


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Dragui Gnan", "L’adresse ne peut contenir que des lettres minuscules"),
        ("ville-a", "existe déjà"),
    ],
)
def test_a_malformed_or_taken_address_is_refused(town_a, slug, message):
    form = TerritoryForm(data=town_data(slug=slug))

    assert not form.is_valid()
    assert message in form.errors["slug"][0]


def test_a_free_address_is_accepted_in_lowercase():
    form = TerritoryForm(data=town_data(slug="Ville-C"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["slug"] == "ville-c"
