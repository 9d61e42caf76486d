"""Choices for a town's settings."""

from django.db import models


class AlertTrigger(models.TextChoices):
    QUALIFIED = "qualified", "quand l’équipe qualifie la demande"
    SUBMITTED = "submitted", "dès le dépôt de la demande"
