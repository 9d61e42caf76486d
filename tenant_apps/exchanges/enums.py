"""Choices for exchanges."""

from django.db import models


class ExchangeKind(models.TextChoices):
    CALL = "call", "Appel"
    MEETING = "meeting", "Rendez-vous"
    VISIT = "visit", "Visite"
    EMAIL = "email", "Courriel"
