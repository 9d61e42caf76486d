"""Choices of the API: what a token may do, and what the token log records."""

from django.db import models


class Scope(models.TextChoices):
    # On a town's host
    DEMANDS_READ = "demands:read", "Lire les demandes et leur historique, sans données personnelles"
    PERSONAL_READ = (
        "personal:read",
        "Lire les données personnelles : coordonnées et textes des porteurs, propriétaires "
        "des locaux (avec les droits de lecture concernés)",
    )
    PREMISES_READ = "premises:read", "Lire les locaux"
    PREMISES_WRITE = "premises:write", "Créer et modifier les locaux"
    PROPOSALS_READ = "proposals:read", "Lire les propositions de locaux"
    PARTNERS_READ = "partners:read", "Lire le réseau de partenaires"
    DASHBOARD_READ = "dashboard:read", "Lire les chiffres du tableau de bord"
    # On the national host
    TOWNS_READ = "towns:read", "Lire les collectivités et leurs chiffres"
    OPEN_DATA_READ = "opendata:read", "Lire les données ouvertes des collectivités"


TOWN_SCOPES = [
    Scope.DEMANDS_READ,
    Scope.PERSONAL_READ,
    Scope.PREMISES_READ,
    Scope.PREMISES_WRITE,
    Scope.PROPOSALS_READ,
    Scope.PARTNERS_READ,
    Scope.DASHBOARD_READ,
]
NATIONAL_SCOPES = [Scope.TOWNS_READ, Scope.OPEN_DATA_READ]


class TokenAction(models.TextChoices):
    CREATED = "created", "Jeton créé"
    REVOKED = "revoked", "Jeton révoqué"
