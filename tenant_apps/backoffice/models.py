"""Exports of demands built in the background (town schema)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

# A pending export whose job has not started after this long was lost (Redis down when
# it was queued); a running one silent this long lost its worker (progress is saved
# every 500 rows, seconds apart).
PENDING_LOST_AFTER = timedelta(minutes=1)
RUNNING_LOST_AFTER = timedelta(minutes=5)


class ExportQuerySet(models.QuerySet):
    def stalled(self):
        """Exports no job is building: lost in the queue, or left by a dead worker."""
        now = timezone.now()
        return self.filter(
            Q(status=Export.Status.PENDING, heartbeat_at__lt=now - PENDING_LOST_AFTER)
            | Q(status=Export.Status.RUNNING, heartbeat_at__lt=now - RUNNING_LOST_AFTER)
        )

    def claim(self, pk):
        """Mark the export running for this job and count the attempt, unless it is done,
        failed, or being built by a job still alive; the claimed export, or None. One
        UPDATE: of two jobs for the same export, one only gets it."""
        claimable = Q(status=Export.Status.PENDING) | Q(
            status=Export.Status.RUNNING,
            heartbeat_at__lt=timezone.now() - RUNNING_LOST_AFTER,
        )
        claimed = self.filter(claimable, pk=pk, attempts__lt=Export.MAX_ATTEMPTS).update(
            status=Export.Status.RUNNING,
            attempts=F("attempts") + 1,
            heartbeat_at=timezone.now(),
            done_rows=0,
        )
        return self.get(pk=pk) if claimed else None


class Export(models.Model):
    MAX_ATTEMPTS = 3

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Prêt"
        FAILED = "failed", "Échec"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    query = models.TextField("filtres", blank=True)
    format = models.CharField(max_length=4, choices=Format.choices)
    with_contact = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    # The last sign of life of the job building it (or of the request that queued it).
    heartbeat_at = models.DateTimeField("dernière activité", default=timezone.now)
    last_error = models.TextField("dernière erreur", blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        verbose_name = "export"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Export {self.pk} ({self.get_status_display()})"

    @property
    def percent(self):
        return (
            100
            if self.status == self.Status.DONE
            else int(100 * self.done_rows / (self.total or 1))
        )

    def record_failure(self, error):
        """After a failed attempt: pending again (the catch-up retries it), or failed for
        good once MAX_ATTEMPTS were made."""
        self.last_error = f"{type(error).__name__}: {error}"[:1000]
        self.status = (
            self.Status.FAILED if self.attempts >= self.MAX_ATTEMPTS else self.Status.PENDING
        )
        self.heartbeat_at = timezone.now()
        self.save(update_fields=["status", "last_error", "heartbeat_at"])
