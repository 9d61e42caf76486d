"""Choices for a town's partner network and its alerts."""

from django.db import models


class MemberStatus(models.TextChoices):
    REQUESTED = "requested", "Demande en attente"
    INVITED = "invited", "Invité par la collectivité"
    ACTIVE = "active", "Membre du réseau"
    DECLINED = "declined", "Demande refusée"
    LEFT = "left", "A quitté le réseau"


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "À chaque nouvelle demande"
    DAILY = "daily", "Un récapitulatif par jour"
    WEEKLY = "weekly", "Un récapitulatif par semaine (le lundi)"


class Answer(models.TextChoices):
    MAYBE = "maybe", "J’ai peut-être un local"
    NOTHING = "nothing", "Rien pour le moment"
    UNSUBSCRIBE = "unsubscribe", "Ne plus recevoir ce type d’alerte"
