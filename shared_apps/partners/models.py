"""The national partner directory (public schema): organisations and their members."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from shared_apps.partners.enums import PartnerKind
from shared_apps.referential.validators import validate_siren, validate_siret


class PartnerQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(is_hidden=False)

    def covering(self, territory):
        """Partners whose declared coverage includes (part of) this town: one of its
        communes, its EPCI, or one of its départements."""
        communes = territory.communes()
        departments = sorted({c.department for c in communes if c.department})
        epcis = {c.epci_id for c in communes if c.epci_id}
        if territory.kind == "epci":
            epcis.add(territory.official_code)
        return self.filter(
            models.Q(coverage_departments__overlap=departments)
            | models.Q(coverage_communes__in=[c.insee_code for c in communes])
            | models.Q(coverage_epcis__in=epcis)
        ).distinct()

    def matching_siret(self, siret):
        """The organisation a SIRET belongs to: same SIRET, or same SIREN (another
        establishment of the same company joins its organisation)."""
        if not siret:
            return None
        return self.filter(models.Q(siret=siret) | models.Q(siren=siret[:9])).first()


class Partner(models.Model):
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=32, choices=PartnerKind.choices)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    siren = models.CharField("SIREN", max_length=9, blank=True, validators=[validate_siren])
    address = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=120, blank=True)
    website = models.URLField("site internet", blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    coverage_departments = ArrayField(
        models.CharField(max_length=3),
        verbose_name="départements couverts",
        default=list,
        blank=True,
    )
    coverage_communes = models.ManyToManyField(
        "referential.Commune", verbose_name="communes couvertes", blank=True, related_name="+"
    )
    coverage_epcis = models.ManyToManyField(
        "referential.Epci", verbose_name="EPCI couverts", blank=True, related_name="+"
    )
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

    def save(self, *args, **kwargs):
        if self.siret and not self.siren:
            self.siren = self.siret[:9]
        super().save(*args, **kwargs)

    @property
    def recipients(self):
        """Who receives this organisation's alerts: its members, else its public address."""
        emails = [m.user.email for m in self.members.all() if m.is_approved and m.user.is_active]
        return emails or ([self.email] if self.email else [])


class PartnerMemberQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(is_approved=True)


class PartnerMember(models.Model):
    """A person acting for a partner organisation (one organisation per person). Someone
    joining an organisation already in the directory waits for one of its members'
    approval (the ANCT's when it has none): a SIRET is public, an email domain proves
    nothing (a webmail's, a shared host's)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_member"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="members")
    is_approved = models.BooleanField("accepté par l’organisation", default=True)
    created_at = models.DateTimeField("inscrit le", auto_now_add=True)

    objects = PartnerMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "membre d’un partenaire"
        verbose_name_plural = "membres de partenaires"

    def __str__(self):
        return f"{self.user} ({self.partner})"
