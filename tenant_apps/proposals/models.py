"""A premises and a demand put together: proposed by the team or the managing partner,
or asked for by the porteur ("ce local m'intéresse"); answered by the porteur. One per
pair: a premises is never proposed twice to the same demand."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tenant_apps.demands.enums import OPEN_STATUSES
from tenant_apps.premises.enums import AVAILABLE_STATES
from tenant_apps.proposals.enums import Answer, Origin, RefusalReason


class ProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(answer=Answer.PENDING)

    def declined(self):
        return self.filter(answer=Answer.DECLINED)

    def still_in_play(self):
        """Waiting for the porteur, or a visit to arrange: the demand has a lead."""
        return self.exclude(answer=Answer.DECLINED)

    def proposed(self):
        """Put to the porteur by the team or a partner (not the porteur's own interests)."""
        return self.exclude(origin=Origin.INTEREST)

    def to_announce(self):
        """Proposals the porteur has not been emailed about and may still answer."""
        return (
            self.proposed()
            .pending()
            .filter(
                emailed_at__isnull=True,
                demand__status__in=OPEN_STATUSES,
                demand__erased_at__isnull=True,
                premises__state__in=AVAILABLE_STATES,
            )
        )

    def of_partner(self, partner):
        """On the premises the partner manages."""
        return self.filter(premises__managing_partner=partner)


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
    # The visit to arrange, when interested: when the porteur can come, and who comes.
    visit_availability = models.TextField("disponibilités pour une visite", blank=True)
    visit_attendees = models.CharField("personnes à la visite", max_length=200, blank=True)
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

    @property
    def is_pending(self):
        return self.answer == Answer.PENDING

    @property
    def is_interest(self):
        return self.origin == Origin.INTEREST

    @property
    def proposer_name(self):
        """Who put the premises forward, as the porteur reads it."""
        if self.origin == Origin.PARTNER and self.partner_id:
            return self.partner.name
        if self.origin == Origin.INTEREST:
            return "vous"
        return "l’équipe de la collectivité"

    @property
    def answer_label(self):
        """« Intéressé », or « Pas pour moi (le prix) »."""
        if self.answer == Answer.DECLINED and self.reason:
            return f"{self.get_answer_display()} ({self.get_reason_display().lower()})"
        return self.get_answer_display()

    def record_answer(
        self, answer, *, reason="", comment="", visit_availability="", visit_attendees=""
    ):
        """Keep the porteur's answer; returns False when it repeats the one already given
        (a form sent twice), True otherwise."""
        values = {
            "answer": answer,
            "reason": reason if answer == Answer.DECLINED else "",
            "comment": comment,
            "visit_availability": visit_availability if answer == Answer.INTERESTED else "",
            "visit_attendees": visit_attendees if answer == Answer.INTERESTED else "",
        }
        if all(getattr(self, name) == value for name, value in values.items()):
            return False
        for name, value in values.items():
            setattr(self, name, value)
        self.answered_at = timezone.now()
        self.save(update_fields=[*values, "answered_at"])
        return True
