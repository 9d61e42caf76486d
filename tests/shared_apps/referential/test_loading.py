"""The official referential loads whole, and again without duplicates."""

import pytest

from shared_apps.referential.loading import load_territories
from shared_apps.referential.models import Commune, Epci

pytestmark = pytest.mark.django_db


def test_the_shipped_communes_and_epci_load_and_reload():
    communes, epcis = load_territories()
    assert communes > 34_000 and epcis > 1_200
    assert load_territories() == (communes, epcis)
    assert Commune.objects.count() == communes and Epci.objects.count() == epcis
    draguignan = Commune.objects.get(insee_code="83050")
    assert (draguignan.name, draguignan.siren, draguignan.department) == (
        "Draguignan",
        "218300507",
        "83",
    )
    assert "83300" in draguignan.postcodes
    assert draguignan.epci is not None and draguignan.epci.members.filter(pk="83050").exists()
