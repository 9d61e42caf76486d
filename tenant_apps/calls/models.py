"""A call for applications for one of the town's premises (trial, pop-up or shared shop),
its weighted selection criteria and the porteurs' applications (town schema)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from tenant_apps.calls.enums import (
    MAX_TRIAL_MONTHS,
    PUBLIC_STATUSES,
    CallKind,
    CallStatus,
    Decision,
)
from tenant_apps.demands.enums import LeaseKind
from tenants.jobs import enqueue_for_town
from tenants.private import private_dir as town_private_dir


class CallQuerySet(models.QuerySet):
    def public(self):
        """What the town's site shows: published calls, and those closed or decided since."""
        return self.filter(status__in=PUBLIC_STATUSES)

    def open(self, now=None):
        """Published calls whose deadline has not passed: porteurs may still apply."""
        return self.filter(status=CallStatus.PUBLISHED, deadline__gt=now or timezone.now())

    def open_first(self, now=None):
        """Open calls first, then the others; each by deadline, the nearest first."""
        is_open = Q(status=CallStatus.PUBLISHED, deadline__gt=now or timezone.now())
        return self.annotate(
            is_open_now=Case(When(is_open, then=Value(True)), default=Value(False))
        ).order_by("-is_open_now", "deadline")


class Call(models.Model):
    premises = models.ForeignKey(
        "premises.Premises", verbose_name="local", on_delete=models.PROTECT, related_name="calls"
    )
    title = models.CharField("titre", max_length=200)
    kind = models.CharField("type d’appel", max_length=16, choices=CallKind.choices)
    description = models.TextField("présentation", blank=True)
    # A pop-up shop's dates; a shared shop's number of places.
    starts_on = models.DateField("du", null=True, blank=True)
    ends_on = models.DateField("au", null=True, blank=True)
    places = models.PositiveSmallIntegerField("nombre de places", null=True, blank=True)
    trial_months = models.PositiveSmallIntegerField(
        "durée de l’essai (mois)",
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TRIAL_MONTHS)],
    )
    market_rent = models.PositiveIntegerField(
        "loyer de marché (€ par mois)", validators=[MinValueValidator(1)]
    )
    # The rent of each month of the trial, in euros: never free, never decreasing, never
    # above the market rent (see rent_schedule_errors).
    rent_schedule = models.JSONField("loyers mois par mois (€)", default=list)
    lease_kind = models.CharField("type de bail", max_length=16, choices=LeaseKind.choices)
    support_partner = models.ForeignKey(
        "partners.Partner",
        verbose_name="partenaire d’accompagnement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    commitments = models.TextField("engagements du lauréat")
    deadline = models.DateTimeField("date limite de candidature")
    status = models.CharField(
        "état", max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The partner managing the premises, when it drafted the call (the team publishes it).
    proposed_by = models.ForeignKey(
        "partners.Partner",
        verbose_name="proposé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = "appel à candidatures"
        verbose_name_plural = "appels à candidatures"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=CallKind.POP_UP)
                | Q(
                    starts_on__isnull=False,
                    ends_on__isnull=False,
                    ends_on__gte=models.F("starts_on"),
                ),
                name="call_pop_up_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(kind=CallKind.SHARED) | Q(places__gte=2),
                name="call_shared_has_places",
            ),
            models.CheckConstraint(condition=Q(market_rent__gt=0), name="call_market_rent_set"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_draft(self):
        return self.status == CallStatus.DRAFT

    @property
    def accepts_applications(self):
        return self.status == CallStatus.PUBLISHED and self.deadline > timezone.now()

    def rent_rows(self):
        """(month number, rent, share of the market rent in %) for the schedule's table."""
        return [
            (month, rent, round(rent * 100 / self.market_rent))
            for month, rent in enumerate(self.rent_schedule, start=1)
        ]

    def publish(self):
        """Put the call on the town's site: only a draft, and only before its deadline."""
        if not self.is_draft:
            raise ValidationError("Cet appel est déjà publié.")
        if self.deadline <= timezone.now():
            raise ValidationError(
                "La date limite de candidature est passée : reportez-la avant de publier."
            )
        self.status, self.published_at = CallStatus.PUBLISHED, timezone.now()
        self.save(update_fields=["status", "published_at", "updated_at"])
        # Porteurs whose demand fits and the network's partners hear of it once committed.
        enqueue_for_town("tenant_apps.calls.notifications.announce_call", self.pk)

    @transaction.atomic
    def set_criteria(self, criteria):
        """Replace the selection grid by `criteria`, a list of (name, weight)."""
        self.criteria.all().delete()
        Criterion.objects.bulk_create(
            Criterion(call=self, name=name, weight=weight, position=position)
            for position, (name, weight) in enumerate(criteria)
        )


def rent_schedule_errors(schedule, market_rent, months):
    """What is wrong with a rent schedule, in French (empty when it is right): one rent a
    month of the trial, never free, never decreasing, never above the market rent."""
    errors = []
    if months and len(schedule) != months:
        errors.append(
            f"Indiquez un loyer par mois d’essai : {months} mois, "
            f"{len(schedule)} montant{'s' if len(schedule) > 1 else ''} saisi"
            f"{'s' if len(schedule) > 1 else ''}."
        )
    for month, rent in enumerate(schedule, start=1):
        if rent <= 0:
            errors.append(
                f"Une boutique à l’essai n’est jamais gratuite : le mois {month} est à 0 €."
            )
        if month > 1 and rent < schedule[month - 2]:
            errors.append(
                f"Le loyer ne baisse jamais d’un mois à l’autre : le mois {month} ({rent} €) "
                f"est en dessous du mois {month - 1} ({schedule[month - 2]} €)."
            )
        if market_rent and rent > market_rent:
            errors.append(
                f"Le mois {month} ({rent} €) dépasse le loyer de marché ({market_rent} €)."
            )
    return errors


class Criterion(models.Model):
    """A line of the call's selection grid, with its weight (the weights sum to 100)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("critère", max_length=120)
    weight = models.PositiveSmallIntegerField(
        "poids (%)", validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "critère de sélection"
        verbose_name_plural = "critères de sélection"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="one_criterion_name_per_call"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_range"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight} %)"


def private_dir():
    """The town's private folder for the applications' files (never under MEDIA_ROOT)."""
    return town_private_dir("calls")


class Application(models.Model):
    """A porteur's application to a call, with their business plan (a PDF kept privately)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    name = models.CharField("nom et prénom", max_length=150)
    email = models.EmailField("adresse électronique", max_length=254)
    phone = models.CharField("téléphone", max_length=30)
    project = models.TextField("projet")
    experience = models.TextField("expérience")
    motivation = models.TextField("motivation")
    plan_file_name = models.CharField("nom du fichier", max_length=150)
    plan_size = models.PositiveIntegerField("taille (octets)")
    # A random name in the town's private folder: nothing of what the porteur chose.
    plan_stored_name = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("reçue le", default=timezone.now)
    # The porteur's open demand, when they applied from their follow-up page.
    demand = models.ForeignKey(
        "demands.Demand",
        verbose_name="demande",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    # The decision, recorded once the jury has scored: who decided, when, and for a
    # declined application the reason the porteur is told.
    decision = models.CharField(
        "décision", max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    decision_reason = models.TextField("motif", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)

    class Meta:
        verbose_name = "candidature"
        verbose_name_plural = "candidatures"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "email"], name="one_application_per_email"),
            models.CheckConstraint(
                condition=~Q(decision="declined") | ~Q(decision_reason=""),
                name="declined_application_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.name} — {self.call}"

    @staticmethod
    def new_stored_name():
        return uuid.uuid4().hex

    @property
    def plan_path(self):
        return private_dir() / self.plan_stored_name
