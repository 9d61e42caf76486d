"""Choices for installed businesses."""

from django.db import models


class BusinessState(models.TextChoices):
    ACTIVE = "active", "En activité"
    CLOSED = "closed", "Fermée"
