"""Communes and EPCI (intercommunalités), loaded from Etalab's official data (public schema)."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower


class EpciKind(models.TextChoices):
    CC = "CC", "Communauté de communes"
    CA = "CA", "Communauté d’agglomération"
    CU = "CU", "Communauté urbaine"
    METRO = "METRO", "Métropole"
    MET69 = "MET69", "Métropole de Lyon"


class Epci(models.Model):
    siren = models.CharField("SIREN", max_length=9, primary_key=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=8, choices=EpciKind.choices, blank=True)
    population = models.PositiveIntegerField("population", default=0)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="epci_name")]

    def __str__(self):
        return self.name


class Commune(models.Model):
    insee_code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=200)
    siren = models.CharField("SIREN", max_length=9, blank=True)
    department = models.CharField("département", max_length=3, blank=True)
    population = models.PositiveIntegerField("population", default=0)
    postcodes = ArrayField(models.CharField(max_length=5), default=list, blank=True)
    epci = models.ForeignKey(
        Epci,
        verbose_name="EPCI",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="commune_name")]

    def __str__(self):
        return f"{self.name} ({self.department})"
