"""Choices for partners."""

from django.db import models


class PartnerKind(models.TextChoices):
    ESTATE_AGENCY = "estate_agency", "Agence immobilière"
    SOCIAL_LANDLORD = "social_landlord", "Bailleur social"
    PRIVATE_OWNER = "private_owner", "Propriétaire privé"
    PROPERTY_COMPANY = "property_company", "Foncière"
    CHAMBER = "chamber", "CCI / CMA"
    SUPPORT_NETWORK = "support_network", "Réseau d’accompagnement"
    NOTARY = "notary", "Notaire"
    OTHER = "other", "Autre"
