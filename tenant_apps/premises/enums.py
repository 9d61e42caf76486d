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


# Premises with nobody in them: vacant, under works, or reserved but not yet let or sold.
EMPTY_STATES = [PremisesState.VACANT, PremisesState.WORKS, PremisesState.RESERVED]
# Premises a porteur can still be offered.
AVAILABLE_STATES = [PremisesState.VACANT, PremisesState.WORKS]
SETTLED_STATES = [PremisesState.LET, PremisesState.SOLD]


class LocationSource(models.TextChoices):
    NONE = "", "Non localisé"
    GEOCODER = "geocoder", "Base Adresse Nationale"
    MANUAL = "manual", "Saisi à la main ou placé sur la carte"
