"""A town's areas and premises (town schema)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from tenant_apps.premises.enums import PremisesKind, PremisesState


class Area(models.Model):
    name = models.CharField("nom", max_length=120, unique=True)
    description = models.TextField("description", blank=True)
    is_priority = models.BooleanField("secteur prioritaire", default=False)

    class Meta:
        verbose_name = "quartier"
        verbose_name_plural = "quartiers"
        ordering = ["name"]

    def __str__(self):
        return self.name


class PremisesQuerySet(models.QuerySet):
    def available(self):
        return self.filter(state__in=[PremisesState.VACANT, PremisesState.WORKS])


class Premises(models.Model):
    address = models.CharField("adresse", max_length=255)
    area = models.ForeignKey(
        Area,
        verbose_name="quartier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="premises",
    )
    kind = models.CharField("type de local", max_length=16, choices=PremisesKind.choices)
    surface = models.PositiveIntegerField(
        "surface (m²)", validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    monthly_rent = models.PositiveIntegerField("loyer mensuel (€)", null=True, blank=True)
    sale_price = models.PositiveIntegerField("prix de vente (€)", null=True, blank=True)
    state = models.CharField(
        "état", max_length=16, choices=PremisesState.choices, default=PremisesState.VACANT
    )
    managing_partner = models.ForeignKey(
        "partners.Partner",
        verbose_name="partenaire gestionnaire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    has_shop_window = models.BooleanField("vitrine", default=False)
    step_free_access = models.BooleanField("accès de plain-pied", default=False)
    available_from = models.DateField("disponible à partir du", null=True, blank=True)
    vacant_since = models.DateField("vacant depuis", null=True, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)

    objects = PremisesQuerySet.as_manager()

    class Meta:
        verbose_name = "local"
        verbose_name_plural = "locaux"
        ordering = ["address"]

    def __str__(self):
        return f"{self.address} ({self.surface} m²)"
