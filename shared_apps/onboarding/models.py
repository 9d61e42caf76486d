"""A claim: someone asks to run a town's space. The space stays private until a claim is
verified, by ProConnect (the claimant's SIRET is the territory's) or by the ANCT."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from shared_apps.onboarding.enums import ClaimStatus
from tenants.enums import TerritoryVerification


class ClaimQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ClaimStatus.PENDING)

    def expiring(self, now=None):
        """Pending claims within a week of expiry whose claimant was not yet warned."""
        now = now or timezone.now()
        warn_after = timedelta(days=settings.CLAIM_DAYS - settings.CLAIM_WARNING_DAYS)
        return self.pending().filter(
            created_at__lte=now - warn_after,
            created_at__gt=now - timedelta(days=settings.CLAIM_DAYS),
            warned_at=None,
        )

    def expired(self, now=None):
        now = now or timezone.now()
        return self.pending().filter(created_at__lte=now - timedelta(days=settings.CLAIM_DAYS))


class Claim(models.Model):
    territory = models.ForeignKey(
        "tenants.Territory",
        verbose_name="collectivité",
        on_delete=models.CASCADE,
        related_name="claims",
    )
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandeur",
        on_delete=models.CASCADE,
        related_name="claims",
    )
    status = models.CharField(
        "statut", max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    # What ProConnect said about the claimant when they asked (empty without ProConnect).
    proconnect_siret = models.CharField("SIRET ProConnect", max_length=14, blank=True)
    proconnect_idp = models.CharField("fournisseur d’identité", max_length=120, blank=True)
    created_at = models.DateTimeField("demandée le", default=timezone.now)
    warned_at = models.DateTimeField("prévenu de l’expiration le", null=True, blank=True)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    verification = models.CharField(
        "vérification", max_length=16, choices=TerritoryVerification.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField("motif", max_length=300, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d’ouverture"
        verbose_name_plural = "demandes d’ouverture"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "claimant"],
                condition=models.Q(status="pending"),
                name="one_pending_claim_per_claimant_and_town",
            )
        ]

    def __str__(self):
        return f"{self.claimant} → {self.territory} ({self.get_status_display()})"

    @property
    def expires_on(self):
        return (self.created_at + timedelta(days=settings.CLAIM_DAYS)).date()

    @property
    def siret_matches(self):
        """Whether the claimant's ProConnect SIRET is an establishment of the territory."""
        siren = self.territory.siren
        return bool(siren and self.proconnect_siret[:9] == siren)
