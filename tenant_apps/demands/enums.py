"""Choices for demands."""

from django.db import models


class ActivityCategory(models.TextChoices):
    FOOD = "food", "Alimentaire"
    PERSONAL = "personal", "Équipement de la personne"
    HOME = "home", "Équipement de la maison"
    HORECA = "horeca", "Café-hôtel-restaurant"
    SERVICES = "services", "Services"
    HEALTH = "health", "Santé"
    CULTURE = "culture", "Culture et loisirs"
    CRAFT = "craft", "Artisanat"


class Stage(models.TextChoices):
    IDEA = "idea", "Idée"
    CREATING = "creating", "En cours de création"
    MOVING = "moving", "Entreprise existante qui déménage"
    NEW_SITE = "new_site", "Entreprise existante qui ouvre un autre site"


class DemandStatus(models.TextChoices):
    NEW = "new", "Nouvelle"
    QUALIFIED = "qualified", "Qualifiée"
    SEARCHING = "searching", "En recherche"
    PROPOSALS = "proposals", "Proposition(s)"
    PREMISES_FOUND = "premises_found", "Local trouvé"
    INSTALLED = "installed", "Installé"
    ABANDONED = "abandoned", "Abandonnée"
    OUT_OF_SCOPE = "out_of_scope", "Hors périmètre"
    DORMANT = "dormant", "En sommeil"


OPEN_STATUSES = [
    DemandStatus.NEW,
    DemandStatus.QUALIFIED,
    DemandStatus.SEARCHING,
    DemandStatus.PROPOSALS,
]
