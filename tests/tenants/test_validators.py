"""A town's subdomain is checked by the model itself, whichever path sets it."""

import pytest
from django.core.exceptions import ValidationError

from tenants.enums import TerritoryKind
from tenants.models import Territory


@pytest.mark.parametrize(
    "slug", ["www", "api", "static", "mail", "national", "town-x", "xn--drguignan-b4a"]
)
def test_the_model_refuses_a_reserved_slug(slug):
    town = Territory(schema_name="town_essai", name="Essai", slug=slug, kind=TerritoryKind.COMMUNE)

    with pytest.raises(ValidationError) as refused:
        town.full_clean(exclude=["logo"], validate_unique=False)

    assert refused.value.message_dict == {
        "slug": ["Cette adresse est réservée : choisissez-en une autre."]
    }


def test_the_model_accepts_a_free_slug():
    town = Territory(
        schema_name="town_essai", name="Essai", slug="essai", kind=TerritoryKind.COMMUNE
    )

    town.full_clean(exclude=["logo"], validate_unique=False)
