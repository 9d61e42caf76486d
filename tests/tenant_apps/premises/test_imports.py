"""CSV import: valid lines created, each broken line reported with its reasons."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shared_apps.partners.models import Partner
from tenant_apps.premises.imports import import_premises
from tenant_apps.premises.models import Match, Premises
from tests.factories import AreaFactory, DemandFactory
from tests.jobs import committing, run_jobs

pytestmark = pytest.mark.django_db

HEADER = "adresse;quartier;type;surface;loyer;prix;bail;état;vitrine;plain-pied;gestionnaire\n"


@pytest.fixture
def town(town_a, in_town):
    with in_town(town_a):
        yield town_a


def test_valid_lines_are_created_and_broken_ones_reported_with_reasons(town):
    AreaFactory(name="Centre ancien")
    managers = Partner.objects.filter(
        pk=Partner.objects.create(name="Agence du Centre", kind="agency").pk
    )
    DemandFactory(surface_min=40, surface_max=90, monthly_budget=1200)
    csv = (
        HEADER
        + "1 place du Marché;Centre ancien;Boutique;65;950;;Bail commercial 3-6-9;Vacant;oui;non;"
        "Agence du Centre\n"
        + "2 rue Cisson;centre ANCIEN;bureau;40;;;;;;;\n"
        + ";Centre ancien;Boutique;65;950;;;;;;\n"
        + "3 rue de Trans;Quartier imaginaire;Boutique;65;950;;;;;;\n"
        + "4 rue de Trans;;Château;douze;950;;;Démoli;peut-être;;Agence inconnue\n"
        + "\n"
        + "1 place du Marché;;Boutique;30;;;;;;;\n"
    ).encode()

    with committing():  # the town's matches follow in a job, after the commit
        report = import_premises(csv, managers=managers)
    run_jobs()

    assert not report.error
    assert [p.address for p in report.created] == ["1 place du Marché", "2 rue Cisson"]
    first = Premises.objects.get(address="1 place du Marché")
    assert (first.area.name, first.kind, first.lease_kind, first.has_shop_window) == (
        "Centre ancien",
        "shop",
        "commercial",
        True,
    )
    assert first.managing_partner.name == "Agence du Centre"
    assert first.state_changes.count() == 1
    rejected = {line.line: line.reasons for line in report.rejected}
    assert set(rejected) == {4, 5, 6, 8}
    assert rejected[4] == ["adresse : Indiquez l’adresse du local."]
    assert rejected[5] == ["quartier inconnu : « Quartier imaginaire »"]
    assert set(rejected[6]) >= {
        "type de local inconnu : « Château »",
        "état inconnu : « Démoli »",
        "« peut-être » : répondez oui ou non",
        "partenaire inconnu du réseau de la collectivité : « Agence inconnue »",
    }
    assert rejected[8] == ["un local est déjà enregistré à cette adresse"]
    assert report.rejected[0].content.startswith(";Centre ancien;Boutique")
    assert Match.objects.filter(premises=first).count() == 1  # matched after the import


def test_a_file_in_windows_encoding_with_commas_is_read(town):
    csv = "Adresse,Type de local,Surface (m²),Loyer mensuel\n5 rue Pénible,Atelier,120,800\n"

    report = import_premises(csv.encode("cp1252"))

    assert [p.address for p in report.created] == ["5 rue Pénible"]
    assert report.created[0].kind == "workshop"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"nom;ville\nx;y\n", "Colonnes obligatoires absentes : adresse, surface, type."),
        (b"\x00\xff\xfe binaire", "Colonnes obligatoires absentes"),
    ],
)
def test_a_file_that_is_not_an_inventory_is_refused_whole(town, content, message):
    report = import_premises(content)

    assert message in report.error
    assert not Premises.objects.exists()


def test_areas_and_partners_are_looked_up_once_per_file_not_once_per_line(town):
    AreaFactory(name="Centre ancien")
    managers = Partner.objects.filter(
        pk=Partner.objects.create(name="Agence du Centre", kind="agency").pk
    )
    lookups = {}
    for size in (5, 50):
        csv = "adresse;quartier;type;surface;gestionnaire;latitude;longitude\n" + "".join(
            f"{n} rue des {size};Centre ancien;Boutique;65;Agence du Centre;43.5;6.4\n"
            for n in range(size)
        )
        with CaptureQueriesContext(connection) as queries:
            report = import_premises(csv.encode(), managers=managers)
        assert len(report.created) == size
        lookups[size] = [
            query["sql"]
            for query in queries
            if '"premises_area"' in query["sql"] or '"partners_partner"' in query["sql"]
        ]

    assert len(lookups[50]) == len(lookups[5]) == 2
    first = Premises.objects.get(address="0 rue des 50")
    assert (first.area.name, first.managing_partner.name) == ("Centre ancien", "Agence du Centre")
