"""Applying to a call: server-side checks in French that keep what was typed, a business
plan judged by its content (not PDF, too big, encrypted, polyglot) and kept in the town's
private folder, the deadline enforced on the server, one confirmation email; the team
downloads the plan, read-only staff and other towns never do."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from shared_apps.accounts.enums import Role
from tenant_apps.calls.enums import MAX_PLAN_BYTES
from tenant_apps.calls.models import Application, Call
from tenant_apps.mailing.models import OutboundEmail
from tests.conftest import client_for, logged_in_client
from tests.factories import MembershipFactory
from tests.jobs import run_jobs
from tests.tenant_apps.calls.factories import PDF, CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files(town_a, town_b):
    yield
    for town in (town_a, town_b):
        shutil.rmtree(Path(settings.PRIVATE_ROOT) / town.schema_name / "calls", True)


@pytest.fixture
def call(town_a, in_town):
    with in_town(town_a):
        return CallFactory(title="Boutique à l’essai du Marché")


def posted(plan=PDF, name="mon plan.pdf", **changes):
    data = {
        "name": "Inès Martin",
        "email": "Ines.Martin@example.fr",
        "phone": "06 12 34 56 78",
        "project": "Une épicerie fine de produits du Var.",
        "experience": "Dix ans de vente en épicerie.",
        "motivation": "Faire revivre la rue du Marché.",
        "business_plan": SimpleUploadedFile(name, plan, content_type="application/pdf"),
    }
    data.update(changes)
    return data


def test_a_porteur_applies_and_is_told_once(town_a, in_town, call):
    client = client_for(town_a)
    assert (
        'enctype="multipart/form-data"'
        in client.get(f"/appels/{call.pk}/candidater/").content.decode()
    )
    response = client.post(f"/appels/{call.pk}/candidater/", posted())
    assert response.status_code == 302
    assert response["Location"] == f"/appels/{call.pk}/candidature-envoyee/"
    assert "Candidature envoyée" in client.get(response["Location"]).content.decode()
    with in_town(town_a):
        application = Application.objects.get()
        path = application.plan_path
        email = OutboundEmail.objects.get()
    assert (application.email, application.phone) == ("ines.martin@example.fr", "+33612345678")
    assert application.plan_file_name == "mon plan.pdf" and application.plan_size == len(PDF)
    # Kept in the town's private folder under a random name, never under the media root.
    assert (
        path
        == Path(settings.PRIVATE_ROOT) / town_a.schema_name / "calls" / application.plan_stored_name
    )
    assert path.read_bytes() == PDF
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    assert email.key == f"call:{call.pk}:application:{application.pk}"
    run_jobs()
    run_jobs()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ines.martin@example.fr"]
    assert "Boutique à l’essai du Marché" in mail.outbox[0].subject
    assert f"/appels/{call.pk}/" in mail.outbox[0].body


def test_a_second_application_from_the_same_email_is_refused(town_a, in_town, call):
    client = client_for(town_a)
    client.post(f"/appels/{call.pk}/candidater/", posted())
    response = client.post(f"/appels/{call.pk}/candidater/", posted(email="ines.martin@EXAMPLE.fr"))
    assert response.status_code == 400
    assert "déjà été reçue avec cette adresse" in response.content.decode()
    with in_town(town_a):
        assert Application.objects.count() == 1
        assert OutboundEmail.objects.count() == 1
    assert len(list((Path(settings.PRIVATE_ROOT) / town_a.schema_name / "calls").iterdir())) == 1


def test_a_late_application_is_refused_and_keeps_the_text(town_a, in_town, call):
    client = client_for(town_a)
    page = client.get(f"/appels/{call.pk}/candidater/")  # the form was opened in time
    assert page.status_code == 200
    with in_town(town_a):
        Call.objects.filter(pk=call.pk).update(deadline=call.deadline.replace(year=2020))
    response = client.post(f"/appels/{call.pk}/candidater/", posted())
    page = response.content.decode()
    assert response.status_code == 400
    assert "La date limite de candidature à cet appel est passée" in page
    assert "Faire revivre la rue du Marché." in page
    assert 'value="Inès Martin"' in page
    with in_town(town_a):
        assert not Application.objects.exists()
        assert not OutboundEmail.objects.exists()


def test_an_unpublished_call_takes_no_application(town_a, in_town):
    with in_town(town_a):
        draft = CallFactory(draft=True)
    assert client_for(town_a).post(f"/appels/{draft.pk}/candidater/", posted()).status_code == 404
    with in_town(town_a):
        assert not Application.objects.exists()


ENCRYPTED = PDF.replace(b"trailer <<", b"trailer << /Encrypt 9 0 R")
HTML_POLYGLOT = PDF.replace(b"%%EOF", b"<html><script>alert(1)</script></html>\n%%EOF")
ZIP_POLYGLOT = PDF + b"PK\x03\x04" + b"\0" * 26
JAVASCRIPT = PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript >>")


@pytest.mark.parametrize(
    ("plan", "name", "message"),
    [
        (b"GIF89a\x01\x00", "plan.pdf", "Ce fichier n’est pas un PDF"),
        (b"<html>%PDF-1.4</html>" + PDF, "plan.pdf", "Ce fichier n’est pas un PDF"),
        (b"PK\x03\x04" + b"\0" * 40, "plan.pdf", "Ce fichier n’est pas un PDF"),
        (PDF[:60], "plan.pdf", "incomplet ou abîmé"),
        (ENCRYPTED, "plan.pdf", "protégé par un mot de passe"),
        (HTML_POLYGLOT, "plan.pdf", "contient du HTML"),
        (ZIP_POLYGLOT, "plan.pdf", "contient une archive ZIP"),
        (JAVASCRIPT, "plan.pdf", "contient du contenu actif"),
        (b"", "plan.pdf", "Ce fichier est vide"),
    ],
)
def test_hostile_uploads_are_refused_in_french_and_keep_the_text(
    town_a, in_town, call, plan, name, message
):
    response = client_for(town_a).post(f"/appels/{call.pk}/candidater/", posted(plan, name))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "Une épicerie fine de produits du Var." in page  # nothing typed is lost
    assert 'value="06 12 34 56 78"' in page
    with in_town(town_a):
        assert not Application.objects.exists()
    assert not (Path(settings.PRIVATE_ROOT) / town_a.schema_name / "calls").exists() or not any(
        (Path(settings.PRIVATE_ROOT) / town_a.schema_name / "calls").iterdir()
    )


def test_an_oversized_plan_is_refused(town_a, in_town, call):
    big = PDF[:-6] + b" " * (MAX_PLAN_BYTES - len(PDF) + 7) + b"%%EOF\n"
    assert len(big) > MAX_PLAN_BYTES
    response = client_for(town_a).post(f"/appels/{call.pk}/candidater/", posted(big))
    assert response.status_code == 400
    assert "Le fichier dépasse 10 Mo" in response.content.decode()
    with in_town(town_a):
        assert not Application.objects.exists()


def test_missing_answers_come_back_in_french(town_a, in_town, call):
    response = client_for(town_a).post(
        f"/appels/{call.pk}/candidater/",
        posted(email="pas-une-adresse", phone="12", motivation="", business_plan=""),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Cette adresse électronique n’est pas valide" in page
    assert "Dites-nous ce qui vous motive." in page
    assert "Joignez votre plan d’affaires en PDF." in page
    assert "Dix ans de vente en épicerie." in page


def apply_in(town, call):
    response = client_for(town).post(f"/appels/{call.pk}/candidater/", posted())
    assert response.status_code == 302


def test_the_team_downloads_the_plan_other_towns_and_readers_never(town_a, town_b, in_town, call):
    apply_in(town_a, call)
    with in_town(town_a):
        application = Application.objects.get()
    url = f"/gestion/appels/{call.pk}/candidatures/{application.pk}/plan-d-affaires/"
    agent = MembershipFactory(territory=town_a, role=Role.AGENT).user
    client = logged_in_client(town_a, agent)
    page = client.get(f"/gestion/appels/{call.pk}/").content.decode()
    assert "Inès Martin" in page and "ines.martin@example.fr" in page and url in page
    assert '<td data-label="Candidatures">1</td>' in client.get("/gestion/appels/").content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="mon plan.pdf"' in response["Content-Disposition"]

    reader = MembershipFactory(territory=town_a, role=Role.READ_ONLY).user
    reading = logged_in_client(town_a, reader)
    page = reading.get(f"/gestion/appels/{call.pk}/").content.decode()
    assert "Inès Martin" in page and "ines.martin@example.fr" not in page and url not in page
    assert reading.get(url).status_code == 403
    assert client_for(town_a).get(url).status_code == 302  # anonymous: to sign in

    # Town B's admin, on B's host, with A's ids: nothing (B has no such call).
    admin_b = MembershipFactory(territory=town_b, role=Role.ADMIN).user
    assert logged_in_client(town_b, admin_b).get(url).status_code == 404
    # …nor with a call of B of the same id whose application ids differ.
    with in_town(town_b):
        CallFactory(pk=call.pk + 5000)
    other = f"/gestion/appels/{call.pk + 5000}/candidatures/{application.pk}/plan-d-affaires/"
    assert logged_in_client(town_b, admin_b).get(other).status_code == 404


def test_a_call_of_town_a_cannot_be_applied_to_on_town_b(town_a, town_b, in_town, call):
    response = client_for(town_b).post(f"/appels/{call.pk}/candidater/", posted())
    assert response.status_code == 404
    for town in (town_a, town_b):
        with in_town(town):
            assert not Application.objects.exists()


def test_one_address_cannot_flood_a_call(town_a, in_town, call, monkeypatch):
    monkeypatch.setattr("tenant_apps.calls.views.APPLICATIONS_PER_HOUR", 2)
    client = client_for(town_a)
    statuses = [
        client.post(
            f"/appels/{call.pk}/candidater/", posted(email=f"robot{n}@example.fr")
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    response = client.post(f"/appels/{call.pk}/candidater/", posted(email="robot9@example.fr"))
    assert "Trop de candidatures envoyées depuis votre connexion" in response.content.decode()
    assert "Faire revivre la rue du Marché." in response.content.decode()
    with in_town(town_a):
        assert Application.objects.count() == 2
