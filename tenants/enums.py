"""Choices for towns."""

from django.db import models


class TerritoryKind(models.TextChoices):
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "Intercommunalité (EPCI)"
    NATIONAL = "national", "Plateforme nationale"


class TerritoryStatus(models.TextChoices):
    PRE_OPENING = "pre_opening", "Pré-ouverture"
    OPEN = "open", "Ouverte"
    SUSPENDED = "suspended", "Suspendue"
    CLOSED = "closed", "Fermée"


class TerritoryVerification(models.TextChoices):
    """How the platform knows the space is run by the town itself."""

    PROCONNECT = "proconnect", "ProConnect : SIRET de la collectivité"
    ANCT = "anct", "Vérifiée par l’ANCT"
    OPERATOR = "operator", "Créée par l’exploitant de la plateforme"
