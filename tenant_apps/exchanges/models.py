"""Exchanges with a porteur about their demand: a call, a meeting, a visit or an email,
logged by the team, with who took part (town schema)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone

from tenant_apps.demands.enums import EventKind
from tenant_apps.exchanges.enums import ExchangeKind

MAX_MINUTES = 24 * 60


class ExchangeQuerySet(models.QuerySet):
    def between(self, start_at, end_at):
        """The exchanges that took place from `start_at` (included) to `end_at` (excluded)."""
        return self.filter(happened_at__gte=start_at, happened_at__lt=end_at)


class Exchange(models.Model):
    demand = models.ForeignKey(
        "demands.Demand", verbose_name="demande", on_delete=models.CASCADE, related_name="exchanges"
    )
    kind = models.CharField("type d’échange", max_length=16, choices=ExchangeKind.choices)
    happened_at = models.DateTimeField("le")
    duration_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)],
    )
    team_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="membres de l’équipe", blank=True, related_name="+"
    )
    partners = models.ManyToManyField(
        "partners.Partner", verbose_name="partenaires", blank=True, related_name="+"
    )
    others = models.CharField("autres participants", max_length=300, blank=True)
    summary = models.TextField("compte rendu")
    # Its line in the demand's history, kept in step when the exchange is changed.
    event = models.OneToOneField(
        "demands.DemandEvent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("noté le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = ExchangeQuerySet.as_manager()

    class Meta:
        verbose_name = "échange"
        verbose_name_plural = "échanges"
        ordering = ["-happened_at", "-pk"]
        indexes = [models.Index(fields=["happened_at"], name="exchange_happened")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.demand}"

    def people(self):
        """Who took part, as written in the history: team, partners, others."""
        names = [user.get_full_name() or user.email for user in self.team_members.all()]
        names += [partner.name for partner in self.partners.all()]
        if self.others:
            names.append(self.others)
        return names

    def describe(self):
        """The history's line: « Appel le 03/03/2026 à 14:30 (20 min) avec … », then the
        summary."""
        when = timezone.localtime(self.happened_at)
        head = f"{self.get_kind_display()} le {when:%d/%m/%Y} à {when:%H:%M}"
        if self.duration_minutes:
            head += f" ({self.duration_minutes} min)"
        people = self.people()
        if people:
            head += " avec " + ", ".join(people)
        return f"{head}\n{self.summary}"

    @transaction.atomic
    def save_with_event(self, *, user, team_members, partners):
        """Store the exchange and its participants, and write (or rewrite) its line in the
        demand's history — never shown to the porteur."""
        self.save()
        self.team_members.set(team_members)
        self.partners.set(partners)
        if self.event_id is None:
            self.event = self.demand.record(
                EventKind.EXCHANGE, self.describe(), user=user, visible_to_applicant=False
            )
            self.save(update_fields=["event"])
        else:
            self.event.message = self.describe()
            self.event.save(update_fields=["message"])
        return self

    @transaction.atomic
    def delete_with_event(self):
        """A mistaken exchange goes, and its line in the history with it."""
        event = self.event
        self.delete()
        if event is not None:
            event.delete()
