"""A town's email templates, the emails written from a demand and the replies that came
back, with their files (town schema)."""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from tenant_apps.correspondence.enums import Direction
from tenant_apps.correspondence.placeholders import validator
from tenant_apps.correspondence.ready import READY_TEMPLATES
from tenants.private import private_dir as town_private_dir


class ReadyTemplates(models.Model):
    """When the ready templates were given to this town: once only, so that those its
    admins delete never come back."""

    added_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"modèles prêts ajoutés le {self.added_at:%d/%m/%Y}"


class EmailTemplateQuerySet(models.QuerySet):
    @transaction.atomic
    def add_ready(self):
        """Give the current town the ready templates, the first time only (a name already
        there is kept). Returns whether they were added."""
        _, first_time = ReadyTemplates.objects.get_or_create(pk=1)
        if first_time:
            self.bulk_create(
                [
                    EmailTemplate(name=name, subject=subject, body=body)
                    for name, subject, body in READY_TEMPLATES
                ],
                ignore_conflicts=True,
            )
        return first_time


class EmailTemplate(models.Model):
    name = models.CharField("nom du modèle", max_length=100, unique=True)
    subject = models.CharField("objet", max_length=200, validators=[validator])
    body = models.TextField("texte", max_length=10_000, validators=[validator])
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = EmailTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = "modèle de courriel"
        verbose_name_plural = "modèles de courriel"
        ordering = ["name"]

    def __str__(self):
        return self.name


class DemandEmailQuerySet(models.QuerySet):
    def for_demand(self, demand):
        return (
            self.filter(demand=demand)
            .select_related("outbound", "partner_outbound", "partner", "sent_by")
            .prefetch_related("attachments")
            .order_by("created_at", "pk")
        )


class DemandEmail(models.Model):
    """One email of a demand's correspondence: written by the team (its delivery is the
    outbox's) or received in reply."""

    demand = models.ForeignKey(
        "demands.Demand", on_delete=models.CASCADE, related_name="correspondence"
    )
    direction = models.CharField("sens", max_length=3, choices=Direction.choices)
    subject = models.CharField("objet", max_length=255)
    body = models.TextField("texte")
    created_at = models.DateTimeField("le", default=timezone.now)
    event = models.ForeignKey(
        "demands.DemandEvent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Written by the team: the form's key makes a double submission send once.
    send_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outbound = models.ForeignKey(
        "mailing.OutboundEmail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name="partenaire en copie",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    partner_outbound = models.ForeignKey(
        "mailing.OutboundEmail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Received: who wrote, and the Message-ID that makes a second delivery a no-op.
    from_address = models.CharField("de", max_length=320, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    refused_files = models.JSONField("pièces jointes refusées", default=list, blank=True)

    objects = DemandEmailQuerySet.as_manager()

    class Meta:
        verbose_name = "courriel d’une demande"
        verbose_name_plural = "courriels des demandes"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"],
                condition=~models.Q(message_id=""),
                name="inbound_message_once",
            )
        ]

    def __str__(self):
        return f"{self.demand} — {self.subject}"

    @property
    def is_inbound(self):
        return self.direction == Direction.IN


def private_dir():
    """The town's private folder for received files (never under MEDIA_ROOT)."""
    return town_private_dir("correspondence")


class Attachment(models.Model):
    email = models.ForeignKey(DemandEmail, on_delete=models.CASCADE, related_name="attachments")
    file_name = models.CharField("nom du fichier", max_length=150)
    content_type = models.CharField("type", max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    # A random name in the town's private folder: nothing of what the sender chose.
    stored_name = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["pk"]

    def __str__(self):
        return self.file_name

    @staticmethod
    def new_stored_name():
        return uuid.uuid4().hex

    @property
    def path(self):
        return private_dir() / self.stored_name
