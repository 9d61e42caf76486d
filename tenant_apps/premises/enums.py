"""Choices for premises."""

from django.db import models


class PremisesKind(models.TextChoices):
    SHOP = "shop", "Boutique"
    RESTAURANT = "restaurant", "Restaurant avec extraction"
    OFFICE = "office", "Bureau"
    WORKSHOP = "workshop", "Atelier"
    MIXED = "mixed", "Local mixte"


class PremisesState(models.TextChoices):
    VACANT = "vacant", "Vacant"
    WORKS = "works", "En travaux"
    RESERVED = "reserved", "Réservé"
    LET = "let", "Loué"
    SOLD = "sold", "Vendu"
