"""The onboarding's tests: a small referential (Draguignan, Lorgues and their EPCI,
Villefranche-sur-Mer) and a client of the national site."""

import pytest

from shared_apps.referential.models import Commune, Epci
from tests.conftest import TownClient


@pytest.fixture(autouse=True)
def referential(db):
    dracenie = Epci.objects.create(
        siren="200035277",
        name="Dracénie Provence Verdon agglomération",
        kind="CA",
        population=110000,
    )
    Commune.objects.create(
        insee_code="83050",
        name="Draguignan",
        siren="218300507",
        department="83",
        population=40826,
        postcodes=["83300"],
        epci=dracenie,
    )
    Commune.objects.create(
        insee_code="83069",
        name="Lorgues",
        siren="218300697",
        department="83",
        population=9000,
        postcodes=["83510"],
        epci=dracenie,
    )
    Commune.objects.create(
        insee_code="06159",
        name="Villefranche-sur-Mer",
        siren="210601597",
        department="06",
        population=5000,
        postcodes=["06230"],
    )


@pytest.fixture
def national(settings):
    return TownClient(HTTP_HOST=settings.BASE_DOMAIN)
