"""A selected porteur's trial in a call's premises: its dates, its rent month by month, its
follow-up milestones (each a task of the team) and its outcome (town schema)."""

import calendar
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from tenant_apps.premises.enums import PremisesState
from tenant_apps.trials.enums import AYearLater, Outcome


def add_months(day, months):
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# Where the premises goes once the trial's outcome is known. During the trial the porteur
# holds a (trial) lease: the premises is let, and its vacancy ends the day the trial
# starts. If they stay, a commercial lease follows: it stays let. If they move elsewhere
# in town or stop, the premises is empty again and can be offered (vacant), ideally to
# the call's waiting list or a new call.
NEXT_STATE = {
    Outcome.STAYS: PremisesState.LET,
    Outcome.MOVES: PremisesState.VACANT,
    Outcome.STOPS: PremisesState.VACANT,
}


class TrialQuerySet(models.QuerySet):
    def running(self):
        return self.filter(outcome="")

    def ended(self):
        return self.exclude(outcome="")

    def with_everything(self):
        return self.select_related("call", "premises", "application", "assignee")


class Trial(models.Model):
    application = models.OneToOneField(
        "calls.Application",
        verbose_name="candidature retenue",
        on_delete=models.CASCADE,
        related_name="trial",
    )
    call = models.ForeignKey(
        "calls.Call", verbose_name="appel", on_delete=models.CASCADE, related_name="trials"
    )
    premises = models.ForeignKey(
        "premises.Premises", verbose_name="local", on_delete=models.PROTECT, related_name="trials"
    )
    starts_on = models.DateField("début de l’essai")
    ends_on = models.DateField("fin de l’essai")
    # Copied from the call when the trial starts: the call's conditions are what was signed.
    rent_schedule = models.JSONField("loyers mois par mois (€)", default=list)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="suivi par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField("issue", max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField("précisions sur l’issue", blank=True)
    outcome_at = models.DateTimeField("issue notée le", null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What became of the business a year after the trial's end (asked at that time).
    a_year_later = models.CharField(
        "un an après la fin de l’essai", max_length=16, choices=AYearLater.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)

    objects = TrialQuerySet.as_manager()

    class Meta:
        verbose_name = "essai"
        verbose_name_plural = "essais"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="trial_dates"
            ),
        ]

    def __str__(self):
        return f"Essai de {self.application.name} — {self.call}"

    @property
    def is_running(self):
        return not self.outcome

    @property
    def a_year_after_end(self):
        return add_months(self.ends_on, 12)

    def rent_rows(self):
        """(month number, first day, last day, rent) of each month of the trial."""
        rows = []
        for month, rent in enumerate(self.rent_schedule, start=1):
            first = add_months(self.starts_on, month - 1)
            last = min(add_months(self.starts_on, month) - timedelta(days=1), self.ends_on)
            if first > self.ends_on:
                break
            rows.append((month, first, last, rent))
        return rows

    @transaction.atomic
    def record_outcome(self, outcome, *, note="", by=None):
        """Record how the trial ended and move the premises to its next state (NEXT_STATE)
        once no other trial runs there (a shared shop's). Once only: an outcome is not
        changed afterwards. A porteur who stops has no more milestones: their open tasks
        go."""
        if self.outcome:
            raise ValidationError("L’issue de cet essai est déjà notée.")
        outcome = Outcome(outcome)
        self.outcome, self.outcome_note = outcome, note.strip()
        self.outcome_at, self.outcome_by = timezone.now(), by
        self.save(update_fields=["outcome", "outcome_note", "outcome_at", "outcome_by"])
        if outcome == Outcome.STOPS:
            from tenant_apps.tasks.models import Task

            Task.objects.open().filter(trial_milestone__trial=self).delete()
        if Trial.objects.running().filter(premises=self.premises_id).exists():
            # A shared shop: the others still trade there, the premises stays let.
            return
        self.premises.change_state(
            NEXT_STATE[outcome],
            user=by,
            note=f"Fin de l’essai de « {self.call.title} » : {outcome.label.lower()}",
        )

    def record_a_year_later(self, answer):
        self.a_year_later = AYearLater(answer)
        self.save(update_fields=["a_year_later"])


class Milestone(models.Model):
    """A follow-up point of the trial (1, 3, 6 and 12 months after its start): a task of
    the team, with the notes taken at the meeting."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="milestones")
    months = models.PositiveSmallIntegerField("mois")
    task = models.OneToOneField(
        "tasks.Task",
        verbose_name="tâche",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trial_milestone",
    )
    note = models.TextField("notes", blank=True)
    noted_at = models.DateTimeField("notes du", null=True, blank=True)

    class Meta:
        verbose_name = "point d’étape"
        verbose_name_plural = "points d’étape"
        ordering = ["months"]
        constraints = [
            models.UniqueConstraint(fields=["trial", "months"], name="one_milestone_per_month")
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return "Point du 1er mois" if self.months == 1 else f"Point des {self.months} mois"

    @property
    def due_on(self):
        return add_months(self.trial.starts_on, self.months)

    def write_note(self, note):
        self.note, self.noted_at = note.strip(), timezone.now()
        self.save(update_fields=["note", "noted_at"])
