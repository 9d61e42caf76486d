"""A town's admins download the whole town: a ZIP built by a job, with its progress on the
page, kept privately, for admins only; every town model in it, nothing of another town."""

import io
import json
import zipfile

import pytest

from shared_apps.accounts.enums import Role
from tenant_apps.portability.archive import town_models
from tenant_apps.portability.models import TownArchive
from tenant_apps.portability.tasks import resume_archives
from tests.conftest import logged_in_client
from tests.factories import MembershipFactory
from tests.jobs import committing, run_jobs
from tests.tenant_apps.calls.factories import PDF
from tests.tenant_apps.portability.conftest import PHOTO

pytestmark = pytest.mark.django_db

PAGE = "/gestion/reglages/archive/"


def prepare(client, in_town, town):
    """Ask for an archive, let the worker build it; the archive row."""
    response = client.post(PAGE)
    assert response.status_code == 302
    run_jobs()
    with in_town(town):
        return TownArchive.objects.get()


def zip_of(response):
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_an_admin_prepares_follows_and_downloads_the_towns_archive(
    town_a, in_town, filled_a, filled_b, settings
):
    admin = logged_in_client(town_a, filled_a["admin"])
    assert "Préparer une archive" in admin.get(PAGE).text
    admin.post(PAGE)
    with in_town(town_a):
        pending = TownArchive.objects.get()
    page = admin.get(PAGE).text
    assert "est en préparation" in page and f"/gestion/reglages/archive/{pending.pk}/etat/" in page
    assert admin.post(PAGE).status_code == 302  # a second click starts no second job
    state = admin.get(f"{PAGE}{pending.pk}/etat/").json()
    assert (state["status"], state["percent"]) == ("pending", 0)

    run_jobs()
    with in_town(town_a):
        archive = TownArchive.objects.get()
    assert archive.status == "done" and archive.total > 20 and archive.done == archive.total
    assert admin.get(f"{PAGE}{archive.pk}/etat/").json()["percent"] == 100
    with in_town(town_a):  # kept privately, in the town's own folder
        assert archive.path.is_relative_to(settings.PRIVATE_ROOT / town_a.schema_name)
        assert archive.path.exists()
    page = admin.get(PAGE).text
    assert f"{PAGE}{archive.pk}/fichier/" in page and "Prête" in page

    response = admin.get(f"{PAGE}{archive.pk}/fichier/")
    assert response["Content-Type"] == "application/zip"
    assert "boursoloco-ville-a-" in response["Content-Disposition"]
    names = set(zip_of(response).namelist())
    assert {"manifeste.json", "LISEZMOI.txt", "demandes.csv"} <= names


def test_every_town_model_is_in_the_archive_with_files_team_and_partners(
    town_a, in_town, filled_a, filled_b
):
    admin = logged_in_client(town_a, filled_a["admin"])
    archive = prepare(admin, in_town, town_a)
    content = zip_of(admin.get(f"{PAGE}{archive.pk}/fichier/"))
    names = set(content.namelist())

    # Generic: a model added to TENANT_APPS later is in it without a change.
    for model in town_models():
        assert f"donnees/{model._meta.label_lower}.json" in names, model
    manifest = json.loads(content.read("manifeste.json"))
    with in_town(town_a):
        for model in town_models():
            label = model._meta.label_lower
            rows = json.loads(content.read(f"donnees/{label}.json"))
            assert len(rows) == manifest["models"][label], label
    assert manifest["models"]["demands.demand"] == 1
    assert manifest["models"]["calls.application"] == 1

    assert content.read(f"fichiers/media/{filled_a['photo']}") == PHOTO
    assert content.read(f"fichiers/prive/calls/{filled_a['plan']}") == PDF
    assert content.read(f"fichiers/prive/correspondence/{filled_a['attachment']}") == (PDF + b"AAA")
    team = json.loads(content.read("public/accounts.membership.json"))
    assert {(m["email"], m["role"]) for m in team} >= {
        ("admin.AAA@ex.fr", "admin"),
        ("agent.AAA@ex.fr", "agent"),
    }
    users = json.loads(content.read("public/accounts.user.json"))
    assert all(set(user) == {"id", "email", "first_name", "last_name"} for user in users)
    partners = json.loads(content.read("public/partners.partner.json"))
    assert [p["fields"]["name"] for p in partners] == ["Agence AAA"]

    everything = b"".join(content.read(name) for name in names)
    assert b"AAA-2026-00001" in everything and "Échange AAA".encode() in everything
    for secret in ("BBB", "Bbb", "bbb"):  # town B's rows, team, partners and files
        assert secret.encode() not in everything


def test_a_non_admin_is_refused_the_page_the_progress_and_the_file(town_a, in_town, filled_a):
    admin = logged_in_client(town_a, filled_a["admin"])
    archive = prepare(admin, in_town, town_a)
    for role in (Role.AGENT, Role.READ_ONLY):
        member = logged_in_client(town_a, MembershipFactory(territory=town_a, role=role).user)
        for url in (PAGE, f"{PAGE}{archive.pk}/etat/", f"{PAGE}{archive.pk}/fichier/"):
            assert member.get(url).status_code == 403, (role, url)
        assert member.post(PAGE).status_code == 403
    with in_town(town_a):
        assert TownArchive.objects.count() == 1


def test_another_towns_archive_is_not_found(town_a, town_b, in_town, filled_a, filled_b):
    archive = prepare(logged_in_client(town_a, filled_a["admin"]), in_town, town_a)
    admin_of_b = logged_in_client(town_b, filled_b["admin"])
    assert admin_of_b.get(f"{PAGE}{archive.pk}/fichier/").status_code == 404
    assert admin_of_b.get(f"{PAGE}{archive.pk}/etat/").status_code == 404
    # Nor from town B's host for town A's admin (no membership there).
    admin_of_a_on_b = logged_in_client(town_b, filled_a["admin"])
    assert admin_of_a_on_b.get(f"{PAGE}{archive.pk}/fichier/").status_code == 403


def test_a_lost_job_is_queued_again_then_given_up_after_three_attempts(
    town_a, in_town, filled_a, settings, tmp_path
):
    from datetime import timedelta

    from django.utils import timezone

    settings.PRIVATE_ROOT = tmp_path / "pas-un-dossier"
    settings.PRIVATE_ROOT.write_text("")  # every attempt fails to write the file
    admin = logged_in_client(town_a, filled_a["admin"])
    admin.post(PAGE)
    run_jobs()
    assert "reprend d’elle-même" in admin.get(PAGE).text
    for _ in range(2):
        with in_town(town_a):
            TownArchive.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=6))
            with committing():
                assert resume_archives() == 1
        run_jobs()
    with in_town(town_a):
        archive = TownArchive.objects.get()
        assert (archive.status, archive.attempts) == ("failed", 3)
        TownArchive.objects.update(heartbeat_at=timezone.now() - timedelta(hours=1))
        assert resume_archives() == 0
    assert "Échec après 3 tentatives" in admin.get(PAGE).text
    assert admin.get(f"{PAGE}{archive.pk}/fichier/").status_code == 404


def test_only_the_three_newest_archives_are_kept(town_a, in_town, filled_a):
    admin = logged_in_client(town_a, filled_a["admin"])
    for _ in range(4):
        admin.post(PAGE)
        run_jobs()
    with in_town(town_a):
        kept = list(TownArchive.objects.all())
        assert len(kept) == 3 and all(archive.path.exists() for archive in kept)
        files = sorted(kept[0].path.parent.iterdir())
    assert len(files) == 3  # the oldest one's file is gone with it
