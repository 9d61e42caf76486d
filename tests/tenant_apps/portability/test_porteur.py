"""A porteur downloads their data (RGPD article 20) from their follow-up page: JSON and a
readable PDF, with nothing of another porteur or another town."""

import json

import pytest
from django.core import mail

from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.services import send_new_links
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.proposals.models import Proposal
from tests.conftest import client_for
from tests.factories import AreaFactory, DemandFactory, PremisesFactory
from tests.jobs import committing, run_jobs
from tests.tenant_apps.calls.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db

EMAIL = "ines.martin@example.fr"


@pytest.fixture
def porteur(town_a, town_b, in_town):
    """Inès's demand in town A, with its history, a proposal, two applications (one from
    her page, one by her address), an email sent; and what is not hers: another porteur's
    application and email in A, her namesake's demand in town B."""
    with in_town(town_b), committing():
        DemandFactory(reference="B-SIENNE", activity="Secret de B", applicant__email=EMAIL)
        send_new_links(town_b, EMAIL)
    with in_town(town_a), committing():
        demand = DemandFactory(
            reference="A-INES",
            activity="Épicerie fine",
            activity_category="food",
            lease_kinds=["commercial"],
            applicant__first_name="Inès",
            applicant__last_name="Martin",
            applicant__email=EMAIL,
        )
        demand.areas.add(AreaFactory(name="Centre ancien"))
        demand.record(EventKind.NOTE, "Note interne de l’équipe", visible_to_applicant=False)
        demand.record(EventKind.NOTE, "Visite prévue jeudi")
        Proposal.objects.create(
            demand=demand,
            premises=PremisesFactory(address="12 rue des Halles"),
            origin="team",
            message="Ce local vous irait bien.",
        )
        call = CallFactory(title="Boutique à l’essai des Halles")
        ApplicationFactory(call=call, demand=demand, email="autre.adresse@example.fr")
        ApplicationFactory(call=CallFactory(title="Éphémère de Noël"), email=EMAIL.upper())
        ApplicationFactory(call=call, name="Autre Porteur", email="autre@example.fr")
        DemandFactory(reference="A-AUTRE", applicant__email="autre@example.fr")
        send_new_links(town_a, "autre@example.fr")
        send_new_links(town_a, EMAIL)  # revokes the old link: the fresh token is below
        OutboundEmail.objects.create(key="pas-encore", to=EMAIL, subject="Pas envoyé", body="")
    run_jobs()
    with in_town(town_a):
        demand.refresh_from_db()
        token = demand.followup_token()
    return demand, token


def test_the_follow_up_page_offers_both_downloads(town_a, porteur):
    _, token = porteur
    page = client_for(town_a).get(f"/suivi/{token}/").text
    assert f"/suivi/{token}/mes-donnees.pdf" in page
    assert f"/suivi/{token}/mes-donnees.json" in page


def test_the_json_holds_the_demand_its_visible_history_proposals_applications_and_emails(
    town_a, porteur
):
    _, token = porteur
    response = client_for(town_a).get(f"/suivi/{token}/mes-donnees.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)

    assert data["porteur"] == {
        "prenom": "Inès",
        "nom": "Martin",
        "courriel": EMAIL,
        "telephone": "",
    }
    assert data["demande"]["reference"] == "A-INES"
    assert data["demande"]["activity_category"] == "Alimentaire"
    assert data["demande"]["quartiers"] == ["Centre ancien"]
    details = [event["detail"] for event in data["historique"]]
    assert "Visite prévue jeudi" in details
    assert "Note interne de l’équipe" not in details  # hidden from the porteur
    assert [p["local"] for p in data["propositions"]] == ["12 rue des Halles"]
    assert data["propositions"][0]["message"] == "Ce local vous irait bien."
    assert sorted(a["appel"] for a in data["candidatures"]) == [
        "Boutique à l’essai des Halles",
        "Éphémère de Noël",
    ]
    subjects = [email["objet"] for email in data["courriels_recus"]]
    assert len(subjects) == 1 and "Pas envoyé" not in subjects
    assert any(EMAIL == m.to[0] for m in mail.outbox)  # really sent by the outbox

    text = response.content.decode()
    for foreign in ("Autre Porteur", "autre@example.fr", "A-AUTRE", "B-SIENNE", "Secret de B"):
        assert foreign not in text


def test_the_pdf_is_a_readable_document(town_a, porteur):
    _, token = porteur
    response = client_for(town_a).get(f"/suivi/{token}/mes-donnees.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 5000


def test_a_link_of_one_town_gives_nothing_on_another(town_b, porteur):
    _, token = porteur
    for name in ("mes-donnees.json", "mes-donnees.pdf"):
        response = client_for(town_b).get(f"/suivi/{token}/{name}")
        assert response.status_code == 404
        assert b"Martin" not in response.content


def test_a_revoked_or_forged_link_gives_nothing(town_a, in_town, porteur):
    demand, token = porteur
    with in_town(town_a):
        demand.revoke_links()
    assert client_for(town_a).get(f"/suivi/{token}/mes-donnees.json").status_code == 404
    assert client_for(town_a).get("/suivi/faux/mes-donnees.json").status_code == 404
