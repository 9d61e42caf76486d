"""Exports of demands built in the background (town schema)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from tenants.built_by_job import BuiltByJob, BuiltByJobQuerySet

# A pending export whose job has not started after this long was lost (Redis down when
# it was queued); a running one silent this long lost its worker (progress is saved
# every 500 rows, seconds apart).
PENDING_LOST_AFTER = timedelta(minutes=1)
RUNNING_LOST_AFTER = timedelta(minutes=5)


class Export(BuiltByJob, models.Model):
    MAX_ATTEMPTS = 3
    PENDING_LOST_AFTER = PENDING_LOST_AFTER
    RUNNING_LOST_AFTER = RUNNING_LOST_AFTER
    PROGRESS_FIELD = "done_rows"

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

    objects = BuiltByJobQuerySet.as_manager()

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
