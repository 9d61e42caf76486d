"""A town's archive asked by one of its admins, built by a job (see archive.py)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from tenants.built_by_job import BuiltByJob, BuiltByJobQuerySet
from tenants.private import private_dir

# A job that gave no sign of life for this long is taken for dead (resume_archives).
RUNNING_LOST_AFTER = timedelta(minutes=5)
PENDING_LOST_AFTER = timedelta(minutes=5)


class TownArchive(BuiltByJob, models.Model):
    """The whole town as a ZIP: rows of every town model, files, team and partners."""

    MAX_ATTEMPTS = 3
    PENDING_LOST_AFTER = PENDING_LOST_AFTER
    RUNNING_LOST_AFTER = RUNNING_LOST_AFTER
    PROGRESS_FIELD = "done"

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Prête"
        FAILED = "failed", "Échec"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("demandée le", default=timezone.now)
    status = models.CharField("état", max_length=8, choices=Status.choices, default=Status.PENDING)
    # Rows and files to write, and written so far: the page's progress bar.
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField("taille (octets)", default=0)
    finished_at = models.DateTimeField("prête le", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    heartbeat_at = models.DateTimeField("dernière activité", default=timezone.now)
    last_error = models.TextField("dernière erreur", blank=True)

    objects = BuiltByJobQuerySet.as_manager()

    class Meta:
        verbose_name = "archive de la collectivité"
        verbose_name_plural = "archives de la collectivité"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Archive {self.pk} ({self.get_status_display()})"

    @property
    def file_name(self):
        return f"archive-{self.pk}.zip"

    @property
    def path(self):
        return private_dir("archives") / self.file_name

    @property
    def is_under_way(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(100 * self.done / (self.total or 1)))
