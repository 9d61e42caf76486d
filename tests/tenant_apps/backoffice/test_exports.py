"""Exports: the filtered demands as CSV or XLSX; large ones built by a job with progress."""

import csv
import io
from datetime import timedelta

import django_rq
import pytest
from django.utils import timezone
from openpyxl import load_workbook
from rq import SimpleWorker

from tenant_apps.backoffice.exports import resume_exports
from tenant_apps.backoffice.models import Export
from tests.conftest import logged_in_client
from tests.factories import DemandFactory, MembershipFactory
from tests.jobs import committing, run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def demands(town_a, in_town):
    with in_town(town_a):
        DemandFactory(
            reference="EXP-1",
            activity="Fromagerie",
            activity_category="food",
            applicant__email="fromager@example.fr",
        )
        DemandFactory(
            reference="EXP-2", activity='=HYPERLINK("http://x")', activity_category="food"
        )
        DemandFactory(reference="EXP-3", activity="Kiné", activity_category="health")


def rows_of_csv(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_a_csv_export_holds_the_filtered_demands(town_a, demands):
    agent = logged_in_client(town_a, MembershipFactory(territory=town_a, role="agent").user)
    response = agent.get("/gestion/export/?category=food&format=csv")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of_csv(response.content)
    header, body = rows[0], rows[1:]
    assert header[0] == "Référence" and "Courriel" in header
    assert sorted(row[0] for row in body) == ["EXP-1", "EXP-2"]
    by_ref = {row[0]: row for row in body}
    assert "fromager@example.fr" in by_ref["EXP-1"]
    assert by_ref["EXP-2"][3].startswith("'=")  # no formula runs in a spreadsheet


def test_read_only_staff_export_without_contact_details(town_a, demands):
    reader = logged_in_client(town_a, MembershipFactory(territory=town_a, role="read_only").user)
    rows = rows_of_csv(reader.get("/gestion/export/?format=csv").content)
    assert "Courriel" not in rows[0]
    assert not any("fromager@example.fr" in cell for row in rows for cell in row)


def test_an_xlsx_export_opens_in_a_spreadsheet(town_a, demands):
    agent = logged_in_client(town_a, MembershipFactory(territory=town_a, role="agent").user)
    response = agent.get("/gestion/export/?format=xlsx&q=fromagerie")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Référence"
    assert [row[0] for row in values[1:]] == ["EXP-1"]


def test_a_large_export_runs_as_a_job_with_progress_and_a_private_download(
    town_a, in_town, demands, settings
):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    user = MembershipFactory(territory=town_a, role="agent").user
    agent = logged_in_client(town_a, user)
    response = agent.get("/gestion/export/?format=csv&status=all")
    assert response.status_code == 302
    status_url = response["Location"]
    assert "en préparation" in agent.get(status_url).text

    queue = django_rq.get_queue("default")
    SimpleWorker([queue], connection=queue.connection).work(burst=True)

    page = agent.get(status_url)
    assert "est prêt" in page.text
    with in_town(town_a):
        export = Export.objects.get()
        assert (export.status, export.total, export.percent) == ("done", 3, 100)
    download = agent.get(f"{status_url}fichier/")
    body = b"".join(download.streaming_content)
    assert len(rows_of_csv(body)) == 4
    # Another member of the same town cannot fetch it.
    colleague = logged_in_client(town_a, MembershipFactory(territory=town_a, role="admin").user)
    assert colleague.get(f"{status_url}fichier/").status_code == 404


def test_an_export_that_keeps_failing_is_shown_as_failed_after_three_attempts(
    town_a, in_town, demands, settings, tmp_path
):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    settings.PRIVATE_ROOT = tmp_path / "pas-un-dossier"
    settings.PRIVATE_ROOT.write_text("")  # every attempt fails to write the file
    agent = logged_in_client(town_a, MembershipFactory(territory=town_a, role="agent").user)
    status_url = agent.get("/gestion/export/?format=csv&status=all")["Location"]

    run_jobs()  # first attempt
    page = agent.get(status_url).text
    assert "en préparation" in page
    assert "La préparation a été interrompue ; elle reprend d’elle-même" in page
    for _ in range(2):  # the catch-up tries again, twice
        with in_town(town_a):
            Export.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=6))
            with committing():  # it queues the job once its transaction commits
                assert resume_exports() == 1
        run_jobs()

    with in_town(town_a):
        export = Export.objects.get()
        assert (export.status, export.attempts) == (Export.Status.FAILED, 3)
        assert "NotADirectoryError" in export.last_error or "FileExistsError" in export.last_error
        Export.objects.update(heartbeat_at=timezone.now() - timedelta(hours=1))
        assert resume_exports() == 0  # given up: no fourth attempt
    page = agent.get(status_url)
    assert page.status_code == 200
    assert "L’export n’a pas pu être préparé, après 3 tentatives." in page.text
    assert "Relancez-le depuis la liste des demandes" in page.text
    assert 'href="/gestion/?status=all"' in page.text  # the same filters, one click away
    assert agent.get(f"{status_url}fichier/").status_code == 404


def test_an_unknown_format_is_not_found(town_a):
    agent = logged_in_client(town_a, MembershipFactory(territory=town_a, role="agent").user)
    assert agent.get("/gestion/export/?format=pdf").status_code == 404
