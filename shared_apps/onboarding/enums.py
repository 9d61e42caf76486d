"""Choices for the onboarding."""

from django.db import models


class ClaimStatus(models.TextChoices):
    PENDING = "pending", "En attente de vérification"
    VERIFIED = "verified", "Vérifiée"
    REJECTED = "rejected", "Refusée"
    EXPIRED = "expired", "Expirée"
