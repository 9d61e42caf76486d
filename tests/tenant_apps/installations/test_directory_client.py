"""The "Recherche d'entreprises" client (shared_apps.referential.entreprises) against the
local stub: what it reads of an answer, how it fails, and how politely it asks."""

import time
from collections import Counter
from datetime import date

import pytest

from shared_apps.referential.entreprises import Unavailable, find_establishment
from tests.tenant_apps.installations.conftest import (
    ACTIVE_SIRET,
    CLOSED_SIRET,
    UNKNOWN_SIRET,
)


def test_an_open_establishment_gives_its_name_address_naf_and_state(directory):
    found = find_establishment(ACTIVE_SIRET)

    assert found.name == "LE FOURNIL DU MARCHE" and found.siren == "912345675"
    assert (found.address, found.postcode, found.city) == (
        "14 RUE DE L'OBSERVANCE",
        "83300",
        "DRAGUIGNAN",
    )
    assert found.full_address == "14 RUE DE L'OBSERVANCE 83300 DRAGUIGNAN"
    assert found.naf_code == "10.71C"
    assert found.is_active and found.closed_on is None
    assert directory.asked == [ACTIVE_SIRET]


def test_a_closed_establishment_gives_its_closing_date(directory):
    found = find_establishment(CLOSED_SIRET)

    assert not found.is_active
    assert found.closed_on == date(2026, 9, 30)


def test_a_siret_the_directory_does_not_know_gives_none(directory):
    assert find_establishment(UNKNOWN_SIRET) is None


@pytest.mark.parametrize(
    ("failure", "said"),
    [
        ("429", "ralentir"),
        ("500", r"erreur \(500\)"),
        ("slow", "ne répond pas"),
        ("garbage", "illisible"),
    ],
)
def test_a_failing_api_raises_unavailable_with_a_french_reason(directory, failure, said):
    directory.failure = failure

    with pytest.raises(Unavailable, match=said):
        find_establishment(ACTIVE_SIRET)


def test_an_unreachable_api_raises_unavailable(directory_down):
    with pytest.raises(Unavailable, match="ne répond pas"):
        find_establishment(ACTIVE_SIRET)


def test_requests_never_exceed_the_rate_the_api_asks_for(directory, settings):
    settings.ENTREPRISES_API_RATE = 4
    started = time.monotonic()

    for _ in range(10):
        find_establishment(ACTIVE_SIRET)

    per_second = Counter(int(moment) for moment, _ in directory.requests)
    assert len(directory.requests) == 10
    assert max(per_second.values()) <= 4
    # 10 requests at 4 a second span at least three clock seconds.
    assert len(per_second) >= 3 and time.monotonic() - started > 1
