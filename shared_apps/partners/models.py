"""The national partner directory (public schema)."""

from django.core.validators import RegexValidator
from django.db import models

from shared_apps.partners.enums import PartnerKind

siret_validator = RegexValidator(r"^\d{14}$", "Le SIRET compte exactement 14 chiffres.")


class PartnerQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(is_hidden=False)


class Partner(models.Model):
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=32, choices=PartnerKind.choices)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[siret_validator])
    address = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=120, blank=True)
    website = models.URLField("site internet", blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    created_at = models.DateTimeField("inscrit le", auto_now_add=True)
    is_hidden = models.BooleanField(
        "masqué par l’ANCT",
        default=False,
        help_text="Un partenaire masqué n’est plus proposé aux collectivités.",
    )

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire"
        verbose_name_plural = "partenaires"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"], condition=~models.Q(siret=""), name="unique_partner_siret"
            )
        ]

    def __str__(self):
        return self.name
