"""What ANCT staff see and do across towns (public schema): figures rolled up from every
town by a job, and the audit log of staff actions."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class TownStats(models.Model):
    """One town's figures, computed inside its schema by the nightly rollup."""

    territory = models.OneToOneField(
        "tenants.Territory", on_delete=models.CASCADE, primary_key=True, related_name="stats"
    )
    demands_last_30_days = models.PositiveIntegerField("demandes (30 jours)", default=0)
    open_demands = models.PositiveIntegerField("demandes en cours", default=0)
    installed_total = models.PositiveIntegerField("installations", default=0)
    median_days_to_installation = models.FloatField(
        "délai médian d’installation (jours)", null=True, blank=True
    )
    staff = models.PositiveIntegerField("membres de l’équipe", default=0)
    partners = models.PositiveIntegerField("partenaires", default=0)
    last_activity_at = models.DateTimeField("dernière activité", null=True, blank=True)
    computed_at = models.DateTimeField("calculé le", default=timezone.now)

    class Meta:
        verbose_name = "chiffres d’une collectivité"
        verbose_name_plural = "chiffres des collectivités"

    def __str__(self):
        return f"{self.territory} ({self.computed_at:%d/%m/%Y})"


class AuditEntry(models.Model):
    """Who among ANCT staff did what, to which town, when."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("action", max_length=40)
    territory = models.ForeignKey(
        "tenants.Territory", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    details = models.TextField("détails", blank=True)
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal des actions"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.actor} {self.action}"
