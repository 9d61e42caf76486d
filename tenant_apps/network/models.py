"""A town's partner network, each partner's alert settings, and the alerts (town schema).

The organisations themselves live in the national directory (shared_apps.partners); what
a partner is to this town — member or not, what it wants to hear about, what it was told
and what it answered — lives here, in the town's schema."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core import signing
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from shared_apps.partners.models import Partner
from tenant_apps.demands.enums import ActivityCategory
from tenant_apps.network.enums import Answer, Frequency, MemberStatus
from tenant_apps.premises.enums import PremisesKind
from tenants.signing import town_salt

ANSWER_SALT = "boursoloco.alerte"
UNSUBSCRIBE_SALT = "boursoloco.desabonnement"


class NetworkMemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=MemberStatus.ACTIVE, partner__is_hidden=False)

    def partners(self):
        """These members' organisations, as a Partner queryset (one subquery)."""
        return Partner.objects.filter(pk__in=self.values("partner_id"))

    def matching(self, demand):
        """Active members whose alert settings accept this demand. An empty setting
        accepts everything; a demand without an area or a budget is not filtered on it."""
        members = self.active().filter(alerts_enabled=True)
        members = members.filter(
            models.Q(premises_kinds=[]) | models.Q(premises_kinds__contains=[demand.premises_kind])
        ).filter(
            models.Q(categories=[]) | models.Q(categories__contains=[demand.activity_category])
        )
        members = members.filter(
            models.Q(surface_min__isnull=True) | models.Q(surface_min__lte=demand.surface_max),
            models.Q(surface_max__isnull=True) | models.Q(surface_max__gte=demand.surface_min),
        )
        if demand.monthly_budget is not None:
            members = members.filter(
                models.Q(budget_min__isnull=True) | models.Q(budget_min__lte=demand.monthly_budget),
                models.Q(budget_max__isnull=True) | models.Q(budget_max__gte=demand.monthly_budget),
            )
        area_ids = [area.pk for area in demand.areas.all()]
        if area_ids:
            chosen = NetworkMember.areas.through.objects.filter(
                networkmember_id=models.OuterRef("pk")
            )
            members = members.filter(
                ~models.Exists(chosen) | models.Exists(chosen.filter(area_id__in=area_ids))
            )
        return members


class NetworkMember(models.Model):
    """A partner of the national directory in this town's network, with its alert
    settings for this town."""

    partner = models.OneToOneField(
        "partners.Partner", verbose_name="partenaire", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        "statut", max_length=16, choices=MemberStatus.choices, default=MemberStatus.REQUESTED
    )
    invited_email = models.EmailField("invitation envoyée à", blank=True)
    created_at = models.DateTimeField("le", default=timezone.now)
    decided_at = models.DateTimeField("décision le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the partner wants to hear about in this town (empty: everything).
    alerts_enabled = models.BooleanField("recevoir les alertes", default=True)
    frequency = models.CharField(
        "fréquence", max_length=16, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    areas = models.ManyToManyField(
        "premises.Area", verbose_name="quartiers", blank=True, related_name="+"
    )
    premises_kinds = ArrayField(
        models.CharField(max_length=16, choices=PremisesKind.choices),
        verbose_name="types de local",
        default=list,
        blank=True,
    )
    categories = ArrayField(
        models.CharField(max_length=16, choices=ActivityCategory.choices),
        verbose_name="activités",
        default=list,
        blank=True,
    )
    surface_min = models.PositiveIntegerField(
        "surface minimale (m²)", null=True, blank=True, validators=[MaxValueValidator(10_000)]
    )
    surface_max = models.PositiveIntegerField(
        "surface maximale (m²)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
    )
    budget_min = models.PositiveIntegerField("loyer mensuel minimal (€)", null=True, blank=True)
    budget_max = models.PositiveIntegerField("loyer mensuel maximal (€)", null=True, blank=True)

    objects = NetworkMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire du réseau"
        verbose_name_plural = "réseau de partenaires"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.partner} ({self.get_status_display()})"

    @property
    def is_active(self):
        return self.status == MemberStatus.ACTIVE

    @property
    def wants_alerts(self):
        return self.is_active and self.alerts_enabled and not self.partner.is_hidden

    def decide(self, accepted, *, by):
        self.status = MemberStatus.ACTIVE if accepted else MemberStatus.DECLINED
        self.decided_at, self.decided_by = timezone.now(), by
        self.save(update_fields=["status", "decided_at", "decided_by"])

    def open_demands(self):
        """The town's open demands these settings accept (the reverse of `matching`)."""
        from tenant_apps.demands.models import Demand

        demands = Demand.objects.open().not_erased()
        if self.premises_kinds:
            demands = demands.filter(premises_kind__in=self.premises_kinds)
        if self.categories:
            demands = demands.filter(activity_category__in=self.categories)
        if self.surface_min is not None:
            demands = demands.filter(surface_max__gte=self.surface_min)
        if self.surface_max is not None:
            demands = demands.filter(surface_min__lte=self.surface_max)
        if self.budget_min is not None:
            demands = demands.filter(
                models.Q(monthly_budget__isnull=True)
                | models.Q(monthly_budget__gte=self.budget_min)
            )
        if self.budget_max is not None:
            demands = demands.filter(
                models.Q(monthly_budget__isnull=True)
                | models.Q(monthly_budget__lte=self.budget_max)
            )
        area_ids = [area.pk for area in self.areas.all()]
        if area_ids:
            wanted = Demand.areas.through.objects.filter(demand_id=models.OuterRef("pk"))
            demands = demands.filter(
                ~models.Exists(wanted) | models.Exists(wanted.filter(area_id__in=area_ids))
            )
        return demands

    def stop_alerts_for(self, premises_kind):
        """'Ne plus recevoir ce type d'alerte': drop one premises kind from the settings."""
        kinds = self.premises_kinds or list(PremisesKind.values)
        self.premises_kinds = [kind for kind in kinds if kind != premises_kind]
        if not self.premises_kinds:
            self.alerts_enabled = False
        self.save(update_fields=["premises_kinds", "alerts_enabled"])

    def stop_all_alerts(self):
        self.alerts_enabled = False
        self.save(update_fields=["alerts_enabled"])

    def unsubscribe_token(self, scope):
        """`scope`: a premises kind, or "all"."""
        return signing.dumps([self.pk, scope], salt=town_salt(UNSUBSCRIBE_SALT))

    def unsubscribe_url(self, territory, scope="all"):
        return territory.url(f"/partenaires/desabonnement/{self.unsubscribe_token(scope)}/")


class Broadcast(models.Model):
    """A demand to announce to the network: written in the same transaction as the
    qualification (or submission), done by a job. A lost job is caught up later."""

    demand = models.OneToOneField(
        "demands.Demand", on_delete=models.CASCADE, related_name="broadcast"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    alerted = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Alerte {self.demand}"


class AlertQuerySet(models.QuerySet):
    def awaiting_digest(self, frequency):
        return self.filter(frequency=frequency, sent_at__isnull=True)


class Alert(models.Model):
    """One partner told about one demand — at most once, whatever happens to the jobs."""

    partner = models.ForeignKey(
        "partners.Partner", verbose_name="partenaire", on_delete=models.CASCADE, related_name="+"
    )
    demand = models.ForeignKey(
        "demands.Demand", verbose_name="demande", on_delete=models.CASCADE, related_name="alerts"
    )
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    answer = models.CharField("réponse", max_length=16, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = "alerte"
        verbose_name_plural = "alertes"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "demand"], name="one_alert_per_demand")
        ]

    def __str__(self):
        return f"{self.demand} → {self.partner}"

    def answer_token(self, answer):
        return signing.dumps([self.pk, answer], salt=town_salt(ANSWER_SALT))

    def answer_urls(self, territory):
        return {
            answer: territory.url(f"/partenaires/reponse/{self.answer_token(answer)}/")
            for answer in Answer.values
        }
