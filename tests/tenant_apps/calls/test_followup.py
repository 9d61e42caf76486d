"""Applying from the follow-up page: a porteur with an open demand sees the open calls,
applies without retyping (their contact and project prefilled, the demand recorded), and
follows where each application stands (the decision, the trial's dates once selected);
another town's calls are not offered; the public form still works alone."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tenant_apps.calls.enums import Decision
from tenant_apps.calls.models import Application
from tenant_apps.calls.signals import application_decided
from tenant_apps.demands.enums import DemandStatus
from tests.conftest import client_for
from tests.factories import ApplicantFactory, DemandFactory
from tests.tenant_apps.calls.factories import PDF, CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files(town_a, town_b):
    yield
    for town in (town_a, town_b):
        shutil.rmtree(Path(settings.PRIVATE_ROOT) / town.schema_name / "calls", True)


@pytest.fixture
def demand(town_a, in_town):
    with in_town(town_a):
        return DemandFactory(
            applicant=ApplicantFactory(
                first_name="Inès", last_name="Martin", email="ines@example.fr", phone="+33612345678"
            ),
            activity="Épicerie fine",
            description="Produits du Var en circuit court.",
        )


def followup(demand, town, in_town):
    with in_town(town):
        return demand.followup_path()


def completed(page_form, **changes):
    return {
        **page_form,
        "experience": "Dix ans de vente.",
        "motivation": "Faire revivre la rue.",
        "business_plan": SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
        **changes,
    }


PREFILLED = {
    "name": "Inès Martin",
    "email": "ines@example.fr",
    "phone": "+33612345678",
    "project": "Épicerie fine\n\nProduits du Var en circuit court.",
}


def test_a_porteur_applies_from_the_followup_page_without_retyping(town_a, in_town, demand):
    with in_town(town_a):
        call = CallFactory(title="Boutique à l’essai du Marché")
        CallFactory(title="Appel en brouillon", draft=True)
    path = followup(demand, town_a, in_town)
    client = client_for(town_a)
    page = client.get(path).content.decode()
    assert "Boutique à l’essai du Marché" in page and "Appel en brouillon" not in page
    form_url = f"{path}appels/{call.pk}/"
    assert form_url in page

    form = client.get(form_url).content.decode()
    assert 'value="Inès Martin"' in form and 'value="ines@example.fr"' in form
    assert "Produits du Var en circuit court." in form and "demande " + demand.reference in form

    response = client.post(form_url, completed(PREFILLED))
    assert response.status_code == 302 and response["Location"] == f"{path}#appels"
    with in_town(town_a):
        application = Application.objects.get()
    assert application.demand_id == demand.pk and application.email == "ines@example.fr"

    page = client.get(path).content.decode()
    assert "En cours d’examen" in page
    assert form_url not in page  # applied: no second invitation


def test_the_followup_page_shows_the_decision_and_the_trials_dates(town_a, in_town, demand):
    with in_town(town_a):
        application = Application.objects.create(
            call=CallFactory(title="Boutique à l’essai du Marché"),
            demand=demand,
            name="Inès Martin",
            email="ines@example.fr",
            phone="+33612345678",
            project="p",
            experience="e",
            motivation="m",
            plan_file_name="plan.pdf",
            plan_size=1,
            plan_stored_name=Application.new_stored_name(),
            decision=Decision.SELECTED,
        )
        application_decided.send(sender=Application, application=application)
        trial = application.trial
    page = client_for(town_a).get(followup(demand, town_a, in_town)).content.decode()
    assert "Retenue" in page
    assert f"votre essai du {trial.starts_on.day}" in page


def test_a_mistake_keeps_what_was_typed_and_records_nothing(town_a, in_town, demand):
    with in_town(town_a):
        call = CallFactory()
    form_url = f"{followup(demand, town_a, in_town)}appels/{call.pk}/"
    response = client_for(town_a).post(
        form_url, completed(PREFILLED, phone="12", motivation="Mon envie, gardée")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mon envie, gardée" in page and "Inès Martin" in page
    with in_town(town_a):
        assert not Application.objects.exists()


def test_a_late_application_from_the_followup_page_is_refused(town_a, in_town, demand):
    with in_town(town_a):
        call = CallFactory(past=True)
    form_url = f"{followup(demand, town_a, in_town)}appels/{call.pk}/"
    client = client_for(town_a)
    assert form_url not in client.get(followup(demand, town_a, in_town)).content.decode()
    client.post(form_url, completed(PREFILLED))
    with in_town(town_a):
        assert not Application.objects.exists()


def test_a_closed_demand_is_not_offered_calls(town_a, in_town, demand):
    with in_town(town_a):
        call = CallFactory()
        demand.status = DemandStatus.ABANDONED
        demand.save(update_fields=["status"])
    path = followup(demand, town_a, in_town)
    client = client_for(town_a)
    assert f"appels/{call.pk}/" not in client.get(path).content.decode()
    assert client.post(f"{path}appels/{call.pk}/", completed(PREFILLED)).status_code == 302
    with in_town(town_a):
        assert not Application.objects.exists()


def test_another_towns_call_is_neither_offered_nor_reachable(town_a, town_b, in_town, demand):
    with in_town(town_b):
        secret = CallFactory(title="Appel secret de B", pk=900_050)
    path = followup(demand, town_a, in_town)
    client = client_for(town_a)
    assert "Appel secret de B" not in client.get(path).content.decode()
    assert client.get(f"{path}appels/{secret.pk}/").status_code == 404
    assert client.post(f"{path}appels/{secret.pk}/", completed(PREFILLED)).status_code == 404
