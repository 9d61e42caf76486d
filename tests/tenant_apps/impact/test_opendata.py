"""The proposal figures in a town's open data: the same aggregates as the dashboard, with
counts of 1 or 2 withheld (and whatever would give them away); a second town's proposals
never count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenant_apps.proposals.models import Proposal
from tenant_apps.townsite.models import TownSettings
from tests.conftest import client_for
from tests.factories import DemandFactory, PremisesFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
SHOP = {"kind": "shop", "surface": 40, "monthly_rent": 700}
OFFICE = {"kind": "office", "surface": 60, "monthly_rent": 1000}


def received(days_ago, *proposals):
    """A demand received `days_ago` and its proposals: (days after, answer, reason, premises)."""
    demand = DemandFactory(created_at=timezone.now() - days_ago * DAY)
    for after, answer, reason, premises in proposals:
        made = demand.created_at + after * DAY
        Proposal.objects.create(
            demand=demand,
            premises=PremisesFactory(**premises),
            origin="team",
            created_at=made,
            answer=answer,
            reason=reason,
            answered_at=made + DAY if answer else None,
        )


@pytest.fixture
def indicators(town_a, town_b, in_town):
    with in_town(town_a):
        settings = TownSettings.load()
        settings.publish_open_data = True
        settings.save()
        received(30, (2, "declined", "price", SHOP))
        received(30, (4, "declined", "price", SHOP))
        received(30, (6, "declined", "price", SHOP))
        received(
            30,
            (8, "declined", "size", OFFICE),
            (9, "interested", "", {**SHOP, "surface": 60}),
            (10, "declined", "other", SHOP),
        )
        received(20, (1, "", "", SHOP))
        received(25, (3, "declined", "size", OFFICE))
        received(25, (5, "declined", "size", OFFICE))
    with in_town(town_b):
        workshop = {"kind": "workshop", "surface": 300, "monthly_rent": 5000}
        received(10, *[(n, "declined", "state", workshop) for n in (1, 2, 3)])
    return client_for(town_a).get("/donnees-ouvertes.json").json()["indicateurs"]


def by(rows, key):
    return {row.pop(key): row for row in rows}


def test_time_to_first_proposal_is_published_over_enough_demands(indicators):
    # First proposals after 1, 2, 3, 4, 5, 6 and 8 days.
    assert indicators["delai_premiere_proposition_jours"] == {
        "demandes": 7,
        "mediane": 4.0,
        "p75": 5.5,
    }


def test_proposals_and_answers_withhold_a_small_count_and_its_complement(indicators):
    assert indicators["propositions"] == {
        "demandes_ayant_recu_une_proposition": 7,
        "propositions_par_demande": 1.3,  # 9 proposals over 7 demands
        "propositions_faites": 9,
        "reponses": 8,
        "reponses_interesse": None,  # a single one
        "reponses_pas_pour_moi": None,  # else 8 - 7 would give it away
        "taux_de_reponse_pct": 88.9,
    }


def test_refusals_by_kind_size_and_price_are_published_without_small_counts(indicators):
    kinds = by(indicators["refus_par_type_de_local"], "type_de_local")
    assert kinds["Boutique"] == {
        "refus": 4,
        "refus_prix": None,  # withheld with the single « autre raison » beside it
        "refus_surface": 0,
        "refus_quartier": 0,
        "refus_etat": 0,
        "refus_autre": None,
    }
    assert kinds["Bureau"]["refus"] == 3 and kinds["Bureau"]["refus_surface"] == 3
    assert kinds["Atelier"]["refus"] == 0  # town B's refused workshops are not here
    sizes = by(indicators["refus_par_surface"], "surface")
    assert {label: row["refus"] for label, row in sizes.items()} == {
        "Moins de 50 m²": 4,
        "50 à 99 m²": 3,
        "100 à 199 m²": 0,
        "200 m² et plus": 0,
    }
    prices = by(indicators["refus_par_prix"], "prix")
    assert prices["Loyer de moins de 800 €"]["refus"] == 4
    assert prices["Loyer de 800 à 1 499 €"]["refus"] == 3
    assert prices["Loyer de 3 000 € et plus"]["refus"] == 0


def test_a_few_proposals_publish_no_delay_mean_or_rate(town_a, in_town):
    with in_town(town_a):
        settings = TownSettings.load()
        settings.publish_open_data = True
        settings.save()
        received(30, (2, "declined", "price", SHOP), (3, "", "", OFFICE))
    data = client_for(town_a).get("/donnees-ouvertes.json").json()["indicateurs"]
    assert data["delai_premiere_proposition_jours"] == {
        "demandes": None,
        "mediane": None,
        "p75": None,
    }
    assert data["propositions"] == {
        "demandes_ayant_recu_une_proposition": None,
        "propositions_par_demande": None,
        "propositions_faites": None,
        "reponses": None,
        "reponses_interesse": 0,
        "reponses_pas_pour_moi": None,
        "taux_de_reponse_pct": None,
    }
    kinds = by(data["refus_par_type_de_local"], "type_de_local")
    assert kinds["Boutique"]["refus"] is None and kinds["Boutique"]["refus_prix"] is None


def test_the_csv_carries_the_proposal_figures(indicators, town_a):
    text = client_for(town_a).get("/donnees-ouvertes.csv").content.decode("utf-8-sig")
    assert "propositions;;taux_de_reponse_pct;88.9;" in text
    assert "refus_par_type_de_local;Bureau;refus_surface;3;" in text
    assert "delai_premiere_proposition_jours;;mediane;4.0;" in text
