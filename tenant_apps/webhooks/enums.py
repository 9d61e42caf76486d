"""Choices and schedules of webhooks."""

from datetime import timedelta

from django.db import models


class EventType(models.TextChoices):
    """What an integrator may listen to; the value is the payload's `type`."""

    DEMAND_CREATED = "demand.created", "Demande déposée"
    DEMAND_STATUS_CHANGED = "demand.status_changed", "Statut d’une demande modifié"
    PROPOSAL_ANSWERED = "proposal.answered", "Réponse du porteur à une proposition"
    PREMISES_PUBLISHED = "premises.published", "Local publié dans le catalogue"
    PREMISES_LET = "premises.let", "Local loué ou vendu"
    CALL_DECIDED = "call.decided", "Appel à candidatures décidé"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    DELIVERED = "delivered", "Reçu"
    FAILED = "failed", "Abandonné"


# After the first attempt, a failed delivery is tried again after each of these delays
# (Standard Webhooks' schedule, about 28 hours in all), then given up (replayable by hand).
RETRY_DELAYS = [
    timedelta(seconds=30),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
]
# An endpoint whose deliveries have all failed for this long is switched off.
FAILING_LIMIT = timedelta(days=1)
# What an attempt keeps of the endpoint's answer.
EXCERPT_BYTES = 500
