"""Exports of demands built in the background (town schema)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Export(models.Model):
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
