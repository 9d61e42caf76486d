"""A town's webhook endpoints, the deliveries waiting for them and each attempt's answer
(town schema)."""

import base64
import secrets
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from tenant_apps.webhooks.enums import DeliveryStatus, EventType


def new_secret():
    """A Standard Webhooks secret: « whsec_ » and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_message_id():
    return f"msg_{uuid.uuid4().hex}"


class WebhookQuerySet(models.QuerySet):
    def listening_to(self, event_type):
        return self.filter(is_active=True, events__contains=[event_type])


class Webhook(models.Model):
    """An integrator's HTTPS endpoint and the events it receives. The secret signs every
    delivery; the endpoint needs it to check them, so it is kept as is (shown once)."""

    url = models.URLField("adresse (URL)", max_length=500)
    description = models.CharField("description", max_length=200, blank=True)
    events = ArrayField(
        models.CharField(max_length=32, choices=EventType.choices), verbose_name="événements"
    )
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    is_active = models.BooleanField("actif", default=True)
    # Since when every attempt failed (None once one succeeds); a day of it switches the
    # endpoint off (disabled_at, disabled_reason) and the town's admins are told.
    failing_since = models.DateTimeField("en échec depuis", null=True, blank=True)
    disabled_at = models.DateTimeField("désactivé le", null=True, blank=True)
    disabled_reason = models.CharField("raison", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)

    objects = WebhookQuerySet.as_manager()

    class Meta:
        verbose_name = "webhook"
        verbose_name_plural = "webhooks"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.url

    @property
    def event_labels(self):
        return [EventType(event).label for event in self.events if event in EventType.values]

    def disable(self, reason):
        self.is_active = False
        self.disabled_at = timezone.now()
        self.disabled_reason = reason[:200]
        self.save(update_fields=["is_active", "disabled_at", "disabled_reason"])

    def enable(self):
        """Switch the endpoint back on: what waited for it is sent now."""
        self.is_active = True
        self.failing_since = self.disabled_at = None
        self.disabled_reason = ""
        self.save(update_fields=["is_active", "failing_since", "disabled_at", "disabled_reason"])
        self.deliveries.filter(status=DeliveryStatus.PENDING).update(next_attempt_at=timezone.now())


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None):
        """Waiting, due, for an endpoint that is on."""
        return self.filter(
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now or timezone.now(),
            webhook__is_active=True,
        )


class Delivery(models.Model):
    """One event for one endpoint. `message_id` (the webhook-id header) is the same for
    every attempt and every endpoint of the event: the integrator's idempotency key."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField("événement", max_length=32, choices=EventType.choices)
    message_id = models.CharField("identifiant (webhook-id)", max_length=40)
    # The exact JSON sent, as signed.
    payload = models.TextField("contenu")
    status = models.CharField(
        "état", max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempt_count = models.PositiveSmallIntegerField("tentatives", default=0)
    # When it is next due; while a worker sends it, when that worker's claim runs out.
    next_attempt_at = models.DateTimeField("prochaine tentative", null=True, blank=True)
    delivered_at = models.DateTimeField("reçu le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = "envoi"
        verbose_name_plural = "envois"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "message_id"], name="one_delivery_per_event")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self):
        return f"{self.event_type} → {self.webhook_id} ({self.message_id})"

    def replay(self):
        """Send it once more, now, with the same webhook-id (the integrator may drop it if
        it already has it). A given-up delivery gets one attempt, not a new schedule."""
        self.status = DeliveryStatus.PENDING
        self.next_attempt_at = timezone.now()
        self.save(update_fields=["status", "next_attempt_at"])


class Attempt(models.Model):
    """One try of a delivery, with the endpoint's answer."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField("tentative n°")
    at = models.DateTimeField("le", default=timezone.now)
    status_code = models.PositiveSmallIntegerField("code HTTP", null=True, blank=True)
    duration_ms = models.PositiveIntegerField("durée (ms)")
    response_excerpt = models.TextField("début de la réponse", blank=True)
    error = models.CharField("erreur", max_length=300, blank=True)

    class Meta:
        verbose_name = "tentative"
        verbose_name_plural = "tentatives"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.delivery_id} n°{self.number} : {self.status_code or self.error}"

    @property
    def succeeded(self):
        return self.status_code is not None and 200 <= self.status_code < 300
