"""A premises and a demand put together: proposed by the team or the managing partner,
or asked for by the porteur ("ce local m'intéresse"); answered by the porteur. One per
pair: a premises is never proposed twice to the same demand."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tenant_apps.proposals.enums import Answer, Origin, RefusalReason


class ProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(answer=Answer.PENDING)

    def declined(self):
        return self.filter(answer=Answer.DECLINED)


class Proposal(models.Model):
    demand = models.ForeignKey("demands.Demand", on_delete=models.CASCADE, related_name="proposals")
    premises = models.ForeignKey(
        "premises.Premises", on_delete=models.CASCADE, related_name="proposals"
    )
    origin = models.CharField("origine", max_length=16, choices=Origin.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="proposé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name="partenaire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.TextField("message au porteur", blank=True)
    created_at = models.DateTimeField("le", default=timezone.now)
    # When the porteur was emailed about it (proposals are grouped in one email a day).
    emailed_at = models.DateTimeField("annoncée au porteur le", null=True, blank=True)
    answer = models.CharField(
        "réponse", max_length=16, choices=Answer.choices, default=Answer.PENDING, blank=True
    )
    reason = models.CharField("raison", max_length=16, choices=RefusalReason.choices, blank=True)
    comment = models.TextField("commentaire du porteur", blank=True)
    # The porteur's availability for a visit ("who, when"), when interested.
    visit_availability = models.TextField("disponibilités pour une visite", blank=True)
    answered_at = models.DateTimeField("répondue le", null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "proposition"
        verbose_name_plural = "propositions"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "premises"], name="one_proposal_per_pair")
        ]
        indexes = [models.Index(fields=["emailed_at", "created_at"], name="proposal_to_email")]

    def __str__(self):
        return f"{self.premises} → {self.demand} ({self.get_answer_display()})"
