"""What ANCT staff see and do across towns (public schema): figures rolled up from every
town by a job, and the audit log of staff actions."""

import statistics

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import connection, models
from django.db.models import Sum
from django.utils import timezone


def percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


class TownStatsQuerySet(models.QuerySet):
    def business_totals(self):
        """The installed businesses of these towns together: counts, survival rates
        (survivors of all towns ÷ eligible businesses of all towns) and the median time
        from demand to opening over every business (not a median of medians)."""
        totals = self.aggregate(
            recorded=Sum("businesses_recorded", default=0),
            active=Sum("businesses_active", default=0),
            eligible_12=Sum("survival_12_eligible", default=0),
            survived_12=Sum("survival_12_survived", default=0),
            eligible_24=Sum("survival_24_eligible", default=0),
            survived_24=Sum("survival_24_survived", default=0),
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days) "
                f"FROM {self.model._meta.db_table}, unnest(opening_delays) AS days "
                "WHERE territory_id = ANY(%s)",
                [list(self.values_list("pk", flat=True))],
            )
            (median,) = cursor.fetchone()
        totals["survival_12"] = percent(totals["survived_12"], totals["eligible_12"])
        totals["survival_24"] = percent(totals["survived_24"], totals["eligible_24"])
        totals["median_days_to_opening"] = median
        return totals

    def trial_totals(self):
        """The calls and trials of these towns together; the median time to decision is
        taken over every decided call (not a median of medians)."""
        totals = self.aggregate(
            calls=Sum("calls_published", default=0),
            applications=Sum("call_applications", default=0),
            running=Sum("trials_running", default=0),
            stayed=Sum("trials_stayed", default=0),
            moved=Sum("trials_moved", default=0),
            stopped=Sum("trials_stopped", default=0),
            year_on_eligible=Sum("trials_year_on_eligible", default=0),
            year_on_active=Sum("trials_year_on_active", default=0),
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days) "
                f"FROM {self.model._meta.db_table}, unnest(call_decision_delays) AS days "
                "WHERE territory_id = ANY(%s)",
                [list(self.values_list("pk", flat=True))],
            )
            (median,) = cursor.fetchone()
        totals["ended"] = totals["stayed"] + totals["moved"] + totals["stopped"]
        totals["carried_on"] = percent(totals["stayed"] + totals["moved"], totals["ended"])
        totals["year_on"] = percent(totals["year_on_active"], totals["year_on_eligible"])
        totals["median_days_to_decision"] = median
        return totals


class TownStats(models.Model):
    """One town's figures, computed inside its schema by the nightly rollup."""

    territory = models.OneToOneField(
        "tenants.Territory", on_delete=models.CASCADE, primary_key=True, related_name="stats"
    )
    demands_last_30_days = models.PositiveIntegerField("demandes (30 jours)", default=0)
    open_demands = models.PositiveIntegerField("demandes en cours", default=0)
    installed_total = models.PositiveIntegerField("installations", default=0)
    median_days_to_installation = models.FloatField(
        "délai médian d’installation (jours)", null=True, blank=True
    )
    staff = models.PositiveIntegerField("membres de l’équipe", default=0)
    partners = models.PositiveIntegerField("partenaires", default=0)
    last_activity_at = models.DateTimeField("dernière activité", null=True, blank=True)
    # Installed businesses (tenant_apps.installations.figures says how they are counted).
    businesses_recorded = models.PositiveIntegerField("entreprises installées", default=0)
    businesses_active = models.PositiveIntegerField("entreprises en activité", default=0)
    survival_12_eligible = models.PositiveIntegerField(
        "entreprises ouvertes depuis 12 mois au moins", default=0
    )
    survival_12_survived = models.PositiveIntegerField(
        "dont encore ouvertes 12 mois après", default=0
    )
    survival_24_eligible = models.PositiveIntegerField(
        "entreprises ouvertes depuis 24 mois au moins", default=0
    )
    survival_24_survived = models.PositiveIntegerField(
        "dont encore ouvertes 24 mois après", default=0
    )
    # Each business's days from demand to opening: the national median is taken over all
    # of them (a town has tens or hundreds, not millions).
    opening_delays = ArrayField(
        models.IntegerField(), verbose_name="délais de la demande à l’ouverture", default=list
    )
    # Calls for applications and their trials (tenant_apps.trials.figures says how).
    calls_published = models.PositiveIntegerField("appels publiés", default=0)
    call_applications = models.PositiveIntegerField("candidatures aux appels", default=0)
    call_decision_delays = ArrayField(
        models.IntegerField(),
        verbose_name="délais de la date limite à la décision (jours)",
        default=list,
    )
    trials_running = models.PositiveIntegerField("essais en cours", default=0)
    trials_stayed = models.PositiveIntegerField("essais : restés avec un bail", default=0)
    trials_moved = models.PositiveIntegerField("essais : installés ailleurs en ville", default=0)
    trials_stopped = models.PositiveIntegerField("essais : arrêtés", default=0)
    trials_year_on_eligible = models.PositiveIntegerField(
        "essais poursuivis terminés depuis un an", default=0
    )
    trials_year_on_active = models.PositiveIntegerField(
        "dont toujours en activité un an après", default=0
    )
    computed_at = models.DateTimeField("calculé le", default=timezone.now)

    objects = TownStatsQuerySet.as_manager()

    class Meta:
        verbose_name = "chiffres d’une collectivité"
        verbose_name_plural = "chiffres des collectivités"

    def __str__(self):
        return f"{self.territory} ({self.computed_at:%d/%m/%Y})"

    @property
    def survival_12(self):
        return percent(self.survival_12_survived, self.survival_12_eligible)

    @property
    def survival_24(self):
        return percent(self.survival_24_survived, self.survival_24_eligible)

    @property
    def median_days_to_opening(self):
        return statistics.median(self.opening_delays) if self.opening_delays else None


class AuditEntry(models.Model):
    """Who among ANCT staff did what, to which town, when."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("action", max_length=40)
    territory = models.ForeignKey(
        "tenants.Territory", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    details = models.TextField("détails", blank=True)
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal des actions"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.actor} {self.action}"
