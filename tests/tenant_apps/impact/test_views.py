"""The dashboard page and its PDF (town staff only), and the open data (public, only
when the town opted in, with no personal data)."""

import json

import pytest

from tenant_apps.townsite.models import TownSettings
from tests.conftest import client_for, logged_in_client
from tests.factories import ApplicantFactory, DemandFactory, MembershipFactory, PremisesFactory

pytestmark = pytest.mark.django_db


def staff(town, role="read_only"):
    return logged_in_client(town, MembershipFactory(territory=town, role=role).user)


def test_the_dashboard_shows_the_figures_with_tables_for_the_charts(town_a, in_town):
    with in_town(town_a):
        for _ in range(3):
            DemandFactory(activity_category="craft")

    response = staff(town_a).get("/gestion/tableau-de-bord/")

    assert response.status_code == 200
    assert response.context["board"].total == 3
    text = response.text
    assert "<caption>Demandes par catégorie d’activité</caption>" in text
    assert '<th scope="row">Artisanat</th><td data-label="Demandes">3</td>' in text
    assert text.count("<svg") == text.count("les chiffres sont dans le tableau qui l’accompagne")
    assert 'role="img"' in text


def test_a_bad_period_is_explained_and_the_last_12_months_shown(town_a):
    response = staff(town_a).get(
        "/gestion/tableau-de-bord/?periode=dates&du=2026-05-01&au=2026-01-01"
    )

    assert response.status_code == 400
    assert "Le dernier jour doit suivre le premier." in response.text
    period = response.context["board"].period
    assert (period.end - period.start).days > 300


def test_a_chosen_period_is_used(town_a):
    response = staff(town_a).get(
        "/gestion/tableau-de-bord/?periode=dates&du=2025-01-01&au=2025-03-31"
    )

    assert response.status_code == 200
    assert len(response.context["board"].per_month) == 3


def test_the_dashboard_pdf_is_made_for_the_council(town_a):
    response = staff(town_a).get("/gestion/tableau-de-bord/pdf/?periode=3m")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_dashboard_is_for_the_towns_staff_only(town_a, town_b):
    other = logged_in_client(town_a, MembershipFactory(territory=town_b).user)
    assert other.get("/gestion/tableau-de-bord/").status_code == 403
    assert client_for(town_a).get("/gestion/tableau-de-bord/").status_code == 302


@pytest.mark.parametrize(
    "path", ["/donnees-ouvertes/", "/donnees-ouvertes.json", "/donnees-ouvertes.csv"]
)
def test_no_open_data_unless_the_town_opted_in(town_a, path):
    assert client_for(town_a).get(path).status_code == 404


def opt_in(town, in_town):
    with in_town(town):
        settings = TownSettings.load()
        settings.publish_open_data = True
        settings.save()


def test_open_data_carries_aggregates_and_no_personal_data(town_a, town_b, in_town):
    opt_in(town_a, in_town)
    with in_town(town_a):
        for index in range(4):
            DemandFactory(
                reference=f"SEC-2026-0000{index}",
                applicant=ApplicantFactory(
                    first_name="Zébulon", last_name=f"Secretus{index}", email=f"z{index}@secret.fr"
                ),
                activity="Fromagerie clandestine",
                description="Mon projet ultraconfidentiel",
                siret="12345678901234",
                status="qualified",
            )
        DemandFactory(activity_category="health", status="new")  # alone in its category
        PremisesFactory(address="13 rue Confidentielle")
    client = client_for(town_a)

    payload = client.get("/donnees-ouvertes.json")
    csv = client.get("/donnees-ouvertes.csv")
    page = client.get("/donnees-ouvertes/")

    assert payload.status_code == csv.status_code == page.status_code == 200
    assert csv["Content-Disposition"] == f'inline; filename="donnees-ouvertes-{town_a.slug}.csv"'
    data = json.loads(payload.content)
    assert data["licence"] == "Licence Ouverte / Open Licence version 2.0"
    assert data["indicateurs"]["demandes_recues"] == 5
    categories = {
        row["categorie"]: row["demandes"] for row in data["indicateurs"]["demandes_par_categorie"]
    }
    assert categories["Santé"] is None  # a single demand is withheld
    assert categories["Alimentaire"] is None  # else 5 - 4 would give it away
    statuses = {
        row["statut"]: row["demandes"] for row in data["indicateurs"]["demandes_par_statut"]
    }
    assert statuses["Nouvelle"] is None and statuses["Qualifiée"] is None
    assert "indicateur;dimension;mesure;valeur" in csv.text
    assert "demandes_recues;;valeur;5" in csv.text
    for text in (payload.content.decode(), csv.text, page.text):
        for secret in (
            "Zébulon",
            "Secretus",
            "secret.fr",
            "SEC-2026",
            "Fromagerie",
            "ultraconfidentiel",
            "12345678901234",
            "Confidentielle",
        ):
            assert secret not in text
    assert client_for(town_b).get("/donnees-ouvertes.json").status_code == 404


def test_admins_opt_in_from_the_settings(town_a, in_town):
    admin = staff(town_a, role="admin")
    form = admin.get("/gestion/reglages/").context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data["publish_open_data"] = "on"

    response = admin.post("/gestion/reglages/", data)

    assert response.status_code == 302
    assert client_for(town_a).get("/donnees-ouvertes.json").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "periode=dates&du=9999-12-31&au=9999-12-31",
        "periode=dates&du=0001-01-01&au=2026-01-01",
        "periode=dates&du=hier&au=",
        "periode=%00<script>",
    ],
)
def test_odd_periods_are_refused_without_error(town_a, query):
    response = staff(town_a).get(f"/gestion/tableau-de-bord/?{query}")

    assert response.status_code == 400
    assert "fr-error-text" in response.text


def test_a_withheld_count_cannot_be_recovered_from_rates_or_the_total(town_a, in_town):
    opt_in(town_a, in_town)
    with in_town(town_a):
        for _ in range(9):
            DemandFactory(activity_category="food")
        DemandFactory(activity_category="craft", status="installed")  # alone twice over
    data = client_for(town_a).get("/donnees-ouvertes.json").json()["indicateurs"]
    categories = {row["categorie"]: row["demandes"] for row in data["demandes_par_categorie"]}
    assert categories["Artisanat"] is None
    # The only other non-empty cell is withheld too: 10 - 9 would give the hidden one.
    assert categories["Alimentaire"] is None
    installed = next(row for row in data["parcours"] if row["etape"] == "Installé")
    assert installed["demandes"] is None
    assert installed["taux_depuis_nouvelle_pct"] is None
    assert installed["taux_depuis_etape_precedente_pct"] is None


def test_the_open_data_csv_cannot_carry_a_formula(town_a, in_town):
    from tenant_apps.premises.models import Area

    opt_in(town_a, in_town)
    with in_town(town_a):
        area = Area.objects.create(name='=HYPERLINK("http://exemple.invalid","x")')
        for _ in range(3):
            DemandFactory().areas.set([area])
    text = client_for(town_a).get("/donnees-ouvertes.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ';"=HYPERLINK' not in text and ";=HYPERLINK" not in text
