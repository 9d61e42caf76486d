"""Rows a background job builds (a demand export, a town's archive): how one job claims a
row, how the catch-up finds those no job is building any more, how a failed attempt is
recorded. A model using them declares Status (PENDING, RUNNING, DONE, FAILED),
MAX_ATTEMPTS, PENDING_LOST_AFTER, RUNNING_LOST_AFTER and PROGRESS_FIELD, and has the
fields status, attempts, heartbeat_at and last_error."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tenants.jobs import enqueue_for_town


class BuiltByJobQuerySet(models.QuerySet):
    def stalled(self):
        """Rows no job is building: lost in the queue, or left by a dead worker."""
        now, model = timezone.now(), self.model
        return self.filter(
            Q(status=model.Status.PENDING, heartbeat_at__lt=now - model.PENDING_LOST_AFTER)
            | Q(status=model.Status.RUNNING, heartbeat_at__lt=now - model.RUNNING_LOST_AFTER)
        )

    def claim(self, pk):
        """Mark the row running for this job and count the attempt, unless it is done,
        failed, or in a live job's hands; the claimed row, or None (one UPDATE: of two
        jobs for the same row, one only gets it)."""
        model = self.model
        claimable = Q(status=model.Status.PENDING) | Q(
            status=model.Status.RUNNING,
            heartbeat_at__lt=timezone.now() - model.RUNNING_LOST_AFTER,
        )
        claimed = self.filter(claimable, pk=pk, attempts__lt=model.MAX_ATTEMPTS).update(
            status=model.Status.RUNNING,
            attempts=F("attempts") + 1,
            heartbeat_at=timezone.now(),
            **{model.PROGRESS_FIELD: 0},
        )
        return self.get(pk=pk) if claimed else None


class BuiltByJob:
    def record_failure(self, error):
        """After a failed attempt: pending again (the catch-up retries it), or failed for
        good once MAX_ATTEMPTS were made."""
        self.last_error = f"{type(error).__name__}: {error}"[:1000]
        self.status = (
            self.Status.FAILED if self.attempts >= self.MAX_ATTEMPTS else self.Status.PENDING
        )
        self.heartbeat_at = timezone.now()
        self.save(update_fields=["status", "last_error", "heartbeat_at"])


def resume_stalled(model, job, reason):
    """Periodic catch-up, in each town: a row whose job was lost (Redis down when it was
    queued) or whose worker died is queued again; one that used up its attempts is marked
    failed with `reason`. Returns the rows queued again."""
    queued = 0
    for row in model.objects.stalled():
        if row.attempts >= model.MAX_ATTEMPTS:
            row.record_failure(RuntimeError(reason))
        else:
            enqueue_for_town(job, row.pk)
            queued += 1
    return queued
