"""Choices of the trials."""

from django.db import models


class Outcome(models.TextChoices):
    STAYS = "stays", "Reste, avec un bail commercial"
    MOVES = "moves", "S’installe ailleurs en ville"
    STOPS = "stops", "Arrête son activité"


class AYearLater(models.TextChoices):
    ACTIVE = "active", "Toujours en activité"
    CLOSED = "closed", "A cessé son activité"


# The follow-up points of every trial, in months from its start.
MILESTONE_MONTHS = (1, 3, 6, 12)
