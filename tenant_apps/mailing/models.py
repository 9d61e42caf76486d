"""Outgoing emails of a town, each recorded before it is sent (town schema)."""

from django.db import models
from django.utils import timezone


class OutboundEmailQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True)


class OutboundEmail(models.Model):
    key = models.CharField("clé d’unicité", max_length=200, unique=True)
    to = models.EmailField("destinataire")
    subject = models.CharField("objet", max_length=255)
    body = models.TextField("texte")
    headers = models.JSONField("en-têtes", default=dict, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = "courriel"
        verbose_name_plural = "courriels"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {self.to}"
