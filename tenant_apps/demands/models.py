"""Porteurs de projet and their demands (town schema)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from tenant_apps.demands.enums import OPEN_STATUSES, ActivityCategory, DemandStatus, Stage
from tenant_apps.premises.enums import PremisesKind


class Applicant(models.Model):
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    email = models.EmailField("adresse électronique")
    phone = models.CharField("téléphone", max_length=20, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)

    class Meta:
        verbose_name = "porteur de projet"
        verbose_name_plural = "porteurs de projet"

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class DemandQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def count_by_status(self):
        counts = dict(self.values_list("status").annotate(n=models.Count("id")).order_by())
        return [(status, counts.get(status.value, 0)) for status in DemandStatus]


class Demand(models.Model):
    reference = models.CharField("référence", max_length=20, unique=True)
    applicant = models.ForeignKey(
        Applicant,
        verbose_name="porteur de projet",
        on_delete=models.CASCADE,
        related_name="demands",
    )
    activity = models.CharField("activité", max_length=200)
    activity_category = models.CharField(
        "catégorie", max_length=16, choices=ActivityCategory.choices
    )
    description = models.TextField("description du projet", blank=True)
    stage = models.CharField("avancement", max_length=16, choices=Stage.choices)
    premises_kind = models.CharField("type de local", max_length=16, choices=PremisesKind.choices)
    surface_min = models.PositiveIntegerField(
        "surface minimale (m²)", validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    surface_max = models.PositiveIntegerField(
        "surface maximale (m²)", validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    monthly_budget = models.PositiveIntegerField(
        "budget de loyer mensuel (€)", null=True, blank=True
    )
    areas = models.ManyToManyField(
        "premises.Area", verbose_name="quartiers souhaités", blank=True, related_name="demands"
    )
    status = models.CharField(
        "statut", max_length=16, choices=DemandStatus.choices, default=DemandStatus.NEW
    )
    consent_to_share = models.BooleanField("accepte le partage avec les partenaires", default=False)
    created_at = models.DateTimeField("reçue le", default=timezone.now)
    status_changed_at = models.DateTimeField("statut changé le", default=timezone.now)

    objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = "demande"
        verbose_name_plural = "demandes"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(surface_min__lte=models.F("surface_max")),
                name="surface_range_ordered",
            )
        ]

    def __str__(self):
        return self.reference
