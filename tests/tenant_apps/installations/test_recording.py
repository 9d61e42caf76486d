"""The team records a demand's installed business: the SIRET looked up in the directory,
typed by hand when it cannot answer, validated in French, on the demand's timeline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenant_apps.demands.enums import DemandStatus, EventKind
from tenant_apps.installations.enums import BusinessState
from tenant_apps.installations.models import Business
from tests.conftest import logged_in_client
from tests.factories import DemandFactory, MembershipFactory, PremisesFactory
from tests.jobs import run_jobs
from tests.tenant_apps.installations.conftest import (
    ACTIVE_SIRET,
    CLOSED_SIRET,
    OTHER_SIRET,
    UNKNOWN_SIRET,
    installed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(town_a):
    return logged_in_client(town_a, MembershipFactory(territory=town_a).user)


@pytest.fixture
def demand(town_a, in_town):
    with in_town(town_a):
        received = timezone.now() - timedelta(days=120)
        return installed(DemandFactory(siret=ACTIVE_SIRET, created_at=received))


def url(demand):
    return f"/gestion/entreprises/demandes/{demand.reference}/"


def form_data(**values):
    today = timezone.localdate().isoformat()
    return {
        "siret": OTHER_SIRET,
        "name": "Boulangerie du Marché",
        "address": "",
        "naf_code": "",
        "opened_on": today,
        "premises": "",
        **values,
    }


def test_an_installed_demand_offers_the_form_with_the_demands_siret(agent, demand):
    page = agent.get(f"/gestion/demandes/{demand.reference}/")

    assert "Entreprise installée" in page.text
    assert f'value="{ACTIVE_SIRET}"' in page.text
    assert f'action="{url(demand)}"' in page.text


def test_a_demand_not_yet_installed_offers_nothing_and_refuses_a_recording(agent, town_a, in_town):
    with in_town(town_a):
        searching = DemandFactory(status=DemandStatus.SEARCHING)

    page = agent.get(f"/gestion/demandes/{searching.reference}/")
    response = agent.post(url(searching), form_data(), follow=True)

    assert "entreprise-siret" not in page.text
    assert "Passez d’abord la demande au statut « Installé »" in response.text
    with in_town(town_a):
        assert not Business.objects.exists()


def test_the_look_up_fills_name_address_and_naf_and_keeps_what_was_typed(
    agent, demand, directory, town_a, in_town
):
    response = agent.post(
        url(demand),
        {"siret": "912 345 675 00017", "opened_on": "2026-11-02", "rechercher": "1"},
    )

    assert response.status_code == 200
    assert "Établissement trouvé : LE FOURNIL DU MARCHE" in response.text
    assert 'value="LE FOURNIL DU MARCHE"' in response.text
    assert 'value="14 RUE DE L&#x27;OBSERVANCE 83300 DRAGUIGNAN"' in response.text
    assert 'value="10.71C"' in response.text
    assert 'value="2026-11-02"' in response.text
    assert directory.asked == [ACTIVE_SIRET]
    with in_town(town_a):
        assert not Business.objects.exists()  # a look-up saves nothing


def test_the_look_up_never_overwrites_a_name_the_team_typed(agent, demand, directory):
    response = agent.post(
        url(demand), {"siret": ACTIVE_SIRET, "name": "Le Fournil", "rechercher": "1"}
    )

    assert 'value="Le Fournil"' in response.text
    assert 'value="10.71C"' in response.text


def test_a_wrong_siret_is_refused_before_asking_the_directory(agent, demand, directory):
    response = agent.post(
        url(demand), {"siret": "91234567500018", "name": "Chez Lou", "rechercher": "1"}
    )

    assert "Ce SIRET n’existe pas : vérifiez les 14 chiffres" in response.text
    assert 'value="Chez Lou"' in response.text
    assert directory.requests == []


def test_a_closed_establishment_is_flagged_at_look_up(agent, demand, directory):
    response = agent.post(url(demand), {"siret": CLOSED_SIRET, "rechercher": "1"})

    assert "mais fermé le 30/09/2026" in response.text


def test_an_unknown_siret_says_so_and_leaves_the_form_to_fill_by_hand(agent, demand, directory):
    response = agent.post(
        url(demand), {"siret": UNKNOWN_SIRET, "name": "Chez Lou", "rechercher": "1"}
    )

    assert f"Aucun établissement ne porte le SIRET {UNKNOWN_SIRET}" in response.text
    assert 'value="Chez Lou"' in response.text


def test_an_outage_keeps_everything_typed_and_the_business_is_recorded_by_hand(
    agent, demand, town_a, in_town, directory_down
):
    with in_town(town_a):
        premises = PremisesFactory(let=True)
    typed = form_data(name="Chez Lou", opened_on="2026-11-20", premises=str(premises.pk))

    looked_up = agent.post(url(demand), {**typed, "rechercher": "1"})
    recorded = agent.post(url(demand), typed)

    assert looked_up.status_code == 200
    assert "Le répertoire des entreprises ne répond pas" in looked_up.text
    assert "Saisissez le nom et la date d’ouverture à la main" in looked_up.text
    for value in ('value="Chez Lou"', 'value="2026-11-20"', f'value="{OTHER_SIRET}"'):
        assert value in looked_up.text
    assert f'value="{premises.pk}" selected' in looked_up.text
    assert recorded.status_code == 302
    assert recorded["Location"] == f"/gestion/demandes/{demand.reference}/"
    with in_town(town_a):
        business = Business.objects.get()
        assert (business.siret, business.name, business.premises) == (
            OTHER_SIRET,
            "Chez Lou",
            premises,
        )
        assert business.state == BusinessState.ACTIVE and business.checked_at is None
        event = demand.events.get(kind=EventKind.BUSINESS_RECORDED)
        assert "Chez Lou, SIRET 84267913600023, ouverte le 20/11/2026" in event.message
        assert not event.visible_to_applicant


def test_recording_checks_the_business_in_the_directory_once_committed(
    agent, demand, town_a, in_town, directory
):
    directory.answers[OTHER_SIRET] = "closed"

    agent.post(url(demand), form_data())
    run_jobs()

    with in_town(town_a):
        business = Business.objects.get()
        assert business.state == BusinessState.CLOSED
        assert business.closed_on.isoformat() == "2026-09-30"
        assert business.checked_at is not None
    page = agent.get(f"/gestion/demandes/{demand.reference}/")
    assert "Boulangerie du Marché" in page.text and "Fermée le 30/09/2026" in page.text
    assert "Vérifiée dans le répertoire Sirene le" in page.text


def test_the_demands_siret_is_filled_when_it_had_none(agent, town_a, in_town):
    with in_town(town_a):
        demand = installed(DemandFactory(siret=""))

    agent.post(url(demand), form_data())

    with in_town(town_a):
        demand.refresh_from_db()
        assert demand.siret == OTHER_SIRET


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"siret": ""}, "Saisissez le SIRET de l’établissement (14 chiffres)."),
        ({"siret": "9123456750001"}, "Le SIRET compte 14 chiffres."),
        ({"siret": "91234567500018"}, "Ce SIRET n’existe pas : vérifiez les 14 chiffres"),
        ({"siret": "ABCDEFGHIJKLMN"}, "Le SIRET compte 14 chiffres."),
        ({"name": "  "}, "Indiquez le nom de l’entreprise."),
        ({"opened_on": ""}, "Indiquez la date d’ouverture de l’établissement."),
        ({"opened_on": "31/02/2026"}, "Saisissez une date valide"),
        ({"opened_on": "2020-01-01"}, "L’ouverture ne peut pas précéder la demande"),
        ({"opened_on": "2099-01-01"}, "La date d’ouverture est à plus de six mois"),
        ({"naf_code": "99.99Z"}, "Ce code NAF n’existe pas"),
        ({"premises": "999999"}, "Ce local n’est pas dans l’inventaire de la ville."),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_typed_is_lost(
    agent, demand, town_a, in_town, values, message
):
    data = form_data(address="Place du Marché", **values)

    response = agent.post(url(demand), data)

    assert response.status_code == 400
    assert message in response.text
    assert 'value="Place du Marché"' in response.text
    with in_town(town_a):
        assert not Business.objects.exists()


def test_a_la_poste_siret_passes_its_own_rule(agent, demand, town_a, in_town):
    # La Poste's establishments share SIREN 356 000 000: digits summing to a multiple of 5.
    response = agent.post(url(demand), form_data(siret="35600000000001"))

    assert response.status_code == 302
    with in_town(town_a):
        assert Business.objects.get().siret == "35600000000001"


def test_a_siret_recorded_for_another_demand_is_refused(agent, demand, town_a, in_town):
    with in_town(town_a):
        first = installed(DemandFactory())
    agent.post(url(first), form_data())

    response = agent.post(url(demand), form_data())

    assert response.status_code == 400
    assert f"Ce SIRET est déjà enregistré pour la demande {first.reference}." in response.text


def test_a_correction_updates_the_business_and_says_so_on_the_timeline(
    agent, demand, town_a, in_town
):
    agent.post(url(demand), form_data())
    with in_town(town_a):
        Business.objects.update(checked_at=timezone.now(), state=BusinessState.CLOSED)
        Business.objects.update(closed_on=timezone.localdate() - timedelta(days=1))

    page = agent.get(url(demand))
    agent.post(url(demand), form_data(siret=ACTIVE_SIRET, name="Le Fournil"))

    assert 'value="Boulangerie du Marché"' in page.text
    with in_town(town_a):
        business = Business.objects.get()
        assert (business.siret, business.name) == (ACTIVE_SIRET, "Le Fournil")
        # Another establishment: its state is the directory's to say again.
        assert business.state == BusinessState.ACTIVE and business.closed_on is None
        assert business.checked_at is None
        messages = list(
            demand.events.filter(kind=EventKind.BUSINESS_RECORDED).values_list("message", flat=True)
        )
        assert len(messages) == 2 and messages[1].startswith("Corrigée : Le Fournil")


def test_read_only_staff_see_the_business_but_cannot_record_or_correct_it(agent, demand, town_a):
    agent.post(url(demand), form_data())
    reader = logged_in_client(town_a, MembershipFactory(territory=town_a, role="read_only").user)

    page = reader.get(f"/gestion/demandes/{demand.reference}/")

    assert "Boulangerie du Marché" in page.text and "Corriger l’entreprise" not in page.text
    assert reader.get(url(demand)).status_code == 403
    assert reader.post(url(demand), form_data(name="Autre")).status_code == 403


def test_another_towns_staff_cannot_reach_the_demand_nor_see_its_business(
    agent, demand, town_a, town_b, in_town
):
    agent.post(url(demand), form_data())
    other = logged_in_client(town_b, MembershipFactory(territory=town_b).user)
    with in_town(town_b):
        own = installed(DemandFactory(reference=demand.reference, siret=""))

    # The same reference in town B is B's own demand: A's business is not there.
    page = other.get(f"/gestion/demandes/{own.reference}/")
    response = other.post(url(own), form_data())

    assert "Boulangerie du Marché" not in page.text
    assert response.status_code == 302  # B records its own, with the same SIRET
    with in_town(town_b):
        assert Business.objects.get().demand == own
    with in_town(town_a):
        assert Business.objects.get().demand == demand
    # Staff of town A only are nobody in town B.
    outsider = logged_in_client(town_b, MembershipFactory(territory=town_a).user)
    assert outsider.get(url(own)).status_code == 403
    assert outsider.post(url(own), form_data(name="Intrus")).status_code == 403
