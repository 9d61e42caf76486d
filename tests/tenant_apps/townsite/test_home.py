"""The town's landing page: its figures read well, even before there is anything."""

import pytest

from tests.conftest import client_for
from tests.factories import PremisesFactory

pytestmark = pytest.mark.django_db


def test_a_new_town_says_what_it_does_rather_than_counting_zero_premises(town_a, town_b, in_town):
    with in_town(town_b):
        PremisesFactory()
        PremisesFactory(state="works")
        PremisesFactory(let=True)

    empty = client_for(town_a).get("/").text
    assert "0 local" not in empty and "0 locaux" not in empty
    assert "recense les locaux vacants" in empty

    town = client_for(town_b).get("/").text
    assert "2 locaux disponibles ou bientôt disponibles sont suivis" in town
    assert "recense les locaux vacants" not in town


def test_one_premises_is_counted_in_the_singular(town_a, in_town):
    with in_town(town_a):
        PremisesFactory()
    assert "1 local disponible ou bientôt disponible est suivi " in client_for(town_a).get("/").text
