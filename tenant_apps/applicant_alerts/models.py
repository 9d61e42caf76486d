"""Porteurs' premises alerts (town schema): who asked for them, the premises to announce,
and each premises announced to each demand — at most once.

A porteur asks on the demand form or on their follow-up page (`Subscription`). When a
premises enters the public catalogue, a `Publication` is written in the same transaction
and a job scores it against the subscribed open demands (`PremisesAlert` rows, one per
pair at most), then emails each porteur (see services)."""

from django.core import signing
from django.db import models
from django.utils import timezone

from tenant_apps.demands.enums import OPEN_STATUSES
from tenants.signing import town_salt

UNSUBSCRIBE_SALT = "boursoloco.alertes-locaux.desabonnement"


class SubscriptionQuerySet(models.QuerySet):
    def reachable(self):
        """Subscriptions whose porteur may be told now: switched on, and the demand open
        (a closed, dormant or erased demand hears nothing)."""
        return self.filter(
            is_active=True, demand__status__in=OPEN_STATUSES, demand__erased_at__isnull=True
        )


class Subscription(models.Model):
    """A porteur's wish to hear of newly published premises that fit their demand."""

    demand = models.OneToOneField(
        "demands.Demand",
        verbose_name="demande",
        on_delete=models.CASCADE,
        related_name="alert_subscription",
    )
    is_active = models.BooleanField("alertes activées", default=True)
    changed_at = models.DateTimeField("modifiée le", default=timezone.now)
    # The porteur's daily cap: the (local) day of the last alert email.
    last_sent_on = models.DateField("dernière alerte envoyée le", null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "abonnement aux alertes de locaux"
        verbose_name_plural = "abonnements aux alertes de locaux"

    def __str__(self):
        return f"{self.demand} ({'activé' if self.is_active else 'arrêté'})"

    @classmethod
    def switch(cls, demand, active):
        """Switch the demand's alerts on or off; nothing is written for someone who never
        asked and still does not."""
        subscription = cls.objects.filter(demand=demand).first()
        if subscription is None and not active:
            return None
        if subscription is None:
            return cls.objects.create(demand=demand, is_active=True)
        if subscription.is_active != active:
            subscription.is_active, subscription.changed_at = active, timezone.now()
            subscription.save(update_fields=["is_active", "changed_at"])
        return subscription

    def unsubscribe_token(self):
        return signing.dumps(self.pk, salt=town_salt(UNSUBSCRIBE_SALT))

    def unsubscribe_url(self, territory):
        return territory.url(f"/suivi/alertes/desabonnement/{self.unsubscribe_token()}/")


class Publication(models.Model):
    """A premises that entered the catalogue, to announce to the porteurs who asked:
    written in the same transaction as the save that published it, done by a job. A lost
    job is caught up later; a premises published again is announced again (to demands
    not told of it yet)."""

    premises = models.OneToOneField(
        "premises.Premises", on_delete=models.CASCADE, related_name="publication"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    alerted = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Publication {self.premises_id}"


class PremisesAlertQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)


class PremisesAlert(models.Model):
    """One premises announced to one demand — at most once, whatever happens to the jobs."""

    demand = models.ForeignKey(
        "demands.Demand",
        verbose_name="demande",
        on_delete=models.CASCADE,
        related_name="premises_alerts",
    )
    premises = models.ForeignKey(
        "premises.Premises", verbose_name="local", on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField("score")
    created_at = models.DateTimeField("trouvée le", default=timezone.now)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)

    objects = PremisesAlertQuerySet.as_manager()

    class Meta:
        verbose_name = "alerte de local"
        verbose_name_plural = "alertes de locaux"
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "premises"], name="one_premises_alert_per_demand"
            )
        ]
        indexes = [
            models.Index(
                fields=["demand"],
                condition=models.Q(sent_at__isnull=True),
                name="premises_alert_unsent",
            )
        ]

    def __str__(self):
        return f"{self.premises_id} → {self.demand_id}"
