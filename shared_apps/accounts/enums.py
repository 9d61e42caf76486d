"""Choices for accounts."""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrateur"
    AGENT = "agent", "Agent"
    READ_ONLY = "read_only", "Lecture seule"
