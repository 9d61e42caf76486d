"""The job that builds a town's archive, and its periodic catch-up."""

import contextlib
import os

from django.utils import timezone

from tenant_apps.portability.archive import write_town_archive
from tenant_apps.portability.models import TownArchive
from tenants.built_by_job import resume_stalled

# Progress is written at most every this many rows (one UPDATE each time).
PROGRESS_EVERY = 500
# Archives kept: each is a full copy of the town's personal data, so older ones go.
KEEP = 3


def build_archive(archive_id):
    """Write the archive under the town's private folder, reporting progress. Safe to run
    twice: a job that finds the archive done, failed or in a live job's hands leaves it
    alone; a failure leaves it to resume_archives, up to TownArchive.MAX_ATTEMPTS. The
    file is written aside and renamed once complete: a download never gets half of it."""
    archive = TownArchive.objects.claim(archive_id)
    if archive is None:
        return None
    path = archive.path
    partial = path.with_suffix(".partiel")
    reported = [0]

    def progress(done, total):
        if done - reported[0] >= PROGRESS_EVERY or done == total:
            reported[0] = done
            TownArchive.objects.filter(pk=archive.pk).update(
                done=done, total=total, heartbeat_at=timezone.now()
            )

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as file:
            write_town_archive(file, progress)
        os.replace(partial, path)
    except Exception as error:
        archive.record_failure(error)
        with contextlib.suppress(OSError):  # the folder itself may be what failed
            partial.unlink(missing_ok=True)
        raise
    TownArchive.objects.filter(pk=archive.pk).update(
        status=TownArchive.Status.DONE,
        size=path.stat().st_size,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    prune_archives()
    return archive.file_name


def prune_archives():
    """Delete the ready archives beyond the KEEP newest, files first."""
    done = TownArchive.objects.filter(status=TownArchive.Status.DONE)
    for old in done.order_by("-created_at", "-pk")[KEEP:]:
        old.path.unlink(missing_ok=True)
        old.delete()


def resume_archives():
    """Periodic, in each town: an archive whose job was lost (Redis down when it was
    queued) or whose worker died is queued again; one that used up its attempts is marked
    failed. Returns the archives queued again."""
    return resume_stalled(TownArchive, build_archive, "interrompue à chaque tentative")
