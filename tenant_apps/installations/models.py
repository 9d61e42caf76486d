"""The businesses installed through the town's demands (town schema): recorded by SIRET
when a demand reaches « installé », then checked each month in the Sirene directory."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from tenant_apps.installations.enums import BusinessState

# A business is checked again once its last successful check is this old.
CHECK_EVERY_DAYS = 30


class BusinessQuerySet(models.QuerySet):
    def due_for_check(self, now=None):
        """Businesses still open whose last successful check is CHECK_EVERY_DAYS old, or
        that were never checked; the longest waiting first, but those the directory failed
        on last: one SIRET it keeps failing on never holds the others back. A closed
        establishment stays closed in the directory (a reopening gets a new SIRET)."""
        now = now or timezone.now()
        return (
            self.filter(state=BusinessState.ACTIVE)
            .filter(
                models.Q(checked_at__isnull=True)
                | models.Q(checked_at__lt=now - timedelta(days=CHECK_EVERY_DAYS))
            )
            .order_by(
                models.F("last_error_at").asc(nulls_first=True),
                models.F("checked_at").asc(nulls_first=True),
                "pk",
            )
        )


class Business(models.Model):
    demand = models.OneToOneField(
        "demands.Demand",
        verbose_name="demande",
        on_delete=models.CASCADE,
        related_name="business",
    )
    siret = models.CharField("SIRET", max_length=14, unique=True)
    name = models.CharField("nom", max_length=200)
    address = models.CharField("adresse", max_length=255, blank=True)
    naf_code = models.CharField("code NAF", max_length=6, blank=True)
    opened_on = models.DateField("ouverte le")
    premises = models.ForeignKey(
        "premises.Premises",
        verbose_name="local",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="businesses",
    )
    # The administrative state, as the directory last said (active when recorded).
    state = models.CharField(
        "état administratif",
        max_length=16,
        choices=BusinessState.choices,
        default=BusinessState.ACTIVE,
    )
    closed_on = models.DateField("fermée le", null=True, blank=True)
    checked_at = models.DateTimeField("vérifiée le", null=True, blank=True)
    last_error = models.CharField("dernière vérification impossible", max_length=200, blank=True)
    last_error_at = models.DateTimeField("vérification impossible le", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("enregistrée le", default=timezone.now)

    objects = BusinessQuerySet.as_manager()

    class Meta:
        verbose_name = "entreprise installée"
        verbose_name_plural = "entreprises installées"
        ordering = ["-opened_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(siret__regex=r"^[0-9]{14}$"), name="business_siret_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True) | models.Q(state=BusinessState.CLOSED),
                name="business_closed_on_if_closed",
            ),
        ]
        indexes = [models.Index(fields=["state", "checked_at"], name="business_due_check")]

    def __str__(self):
        return f"{self.name} ({self.siret})"

    @property
    def is_active(self):
        return self.state == BusinessState.ACTIVE

    def take_directory_answer(self, establishment, now=None):
        """What the monthly check learnt: the directory's state (an unknown SIRET keeps
        the last known state and says so)."""
        now = now or timezone.now()
        self.checked_at = now
        if establishment is None:
            self.last_error = "Le répertoire ne connaît pas ce SIRET."
            self.last_error_at = now
        else:
            self.last_error, self.last_error_at = "", None
            if establishment.is_active:
                self.state, self.closed_on = BusinessState.ACTIVE, None
            else:
                # A closed establishment without a date: closed when we noticed it.
                self.state = BusinessState.CLOSED
                self.closed_on = establishment.closed_on or timezone.localdate(now)
        self.save(update_fields=["state", "closed_on", "checked_at", "last_error", "last_error_at"])

    def check_failed(self, reason, now=None):
        """The directory could not answer: the last known state stays, the next run
        tries again."""
        self.last_error = f"Vérification impossible : {reason}."[:200]
        self.last_error_at = now or timezone.now()
        self.save(update_fields=["last_error", "last_error_at"])
