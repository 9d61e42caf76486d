"""Choices for proposals."""

from django.db import models


class Origin(models.TextChoices):
    """Who put the premises and the demand together."""

    INTEREST = "interest", "Intérêt du porteur"
    TEAM = "team", "Proposé par l’équipe"
    PARTNER = "partner", "Proposé par le partenaire gestionnaire"


class Answer(models.TextChoices):
    PENDING = "", "En attente de réponse"
    INTERESTED = "interested", "Intéressé"
    DECLINED = "declined", "Pas pour moi"


class RefusalReason(models.TextChoices):
    PRICE = "price", "Le prix"
    SIZE = "size", "La surface"
    AREA = "area", "Le quartier"
    STATE = "state", "L’état du local"
    OTHER = "other", "Autre raison"
