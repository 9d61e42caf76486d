"""Choices and limits of the correspondence app."""

from django.db import models


class Direction(models.TextChoices):
    OUT = "out", "envoyé"
    IN = "in", "reçu"


# What a placeholder of a town's email template stands for (the text shown to admins).
PLACEHOLDERS = {
    "prenom": "le prénom du porteur",
    "nom": "le nom du porteur",
    "reference": "la référence de la demande",
    "activite": "l’activité du projet",
    "lien_suivi": "le lien privé de suivi de la demande",
    "locaux_proposes": "la liste des locaux proposés au porteur",
    "ville": "le nom de la collectivité",
    "agent": "le nom de la personne qui écrit",
}

# Inbound mail: what a reply may bring (a mail server refuses bigger messages first).
MAX_MESSAGE_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 5
MAX_TEXT_CHARS = 20_000
