"""A town's areas, premises, their state history, photos and matches (town schema)."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from tenant_apps.demands.enums import LeaseKind
from tenant_apps.premises.enums import (
    AVAILABLE_STATES,
    EMPTY_STATES,
    SETTLED_STATES,
    LocationSource,
    PremisesKind,
    PremisesState,
)


class Area(models.Model):
    name = models.CharField("nom", max_length=120, unique=True)
    description = models.TextField("description", blank=True)
    is_priority = models.BooleanField("secteur prioritaire", default=False)

    class Meta:
        verbose_name = "quartier"
        verbose_name_plural = "quartiers"
        ordering = ["name"]

    def __str__(self):
        return self.name


class PremisesQuerySet(models.QuerySet):
    def available(self):
        """Premises a porteur can still be offered: vacant or under works."""
        return self.filter(state__in=AVAILABLE_STATES)

    def located(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def published(self):
        """The public catalogue: published by the town or its partner, and still
        available (a reserved, let or sold premises leaves it)."""
        return self.available().filter(is_published=True)

    def managed_by(self, partner):
        return self.filter(managing_partner=partner)

    def with_audience(self):
        """Annotated with `catalogue_views` (visits of its catalogue page, all time) and
        `interest_count` (porteurs who said « ce local m'intéresse »)."""
        from tenant_apps.proposals.enums import Origin
        from tenant_apps.proposals.models import Proposal

        views = (
            CatalogueViewCount.objects.filter(premises=OuterRef("pk"))
            .order_by()
            .values("premises")
            .annotate(total=Sum("count"))
            .values("total")
        )
        interests = (
            Proposal.objects.filter(premises=OuterRef("pk"), origin=Origin.INTEREST)
            .order_by()
            .values("premises")
            .annotate(total=models.Count("pk"))
            .values("total")
        )
        return self.annotate(
            catalogue_views=Coalesce(Subquery(views), 0),
            interest_count=Coalesce(Subquery(interests), 0),
        )


class Premises(models.Model):
    address = models.CharField("adresse", max_length=255)
    area = models.ForeignKey(
        Area,
        verbose_name="quartier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="premises",
    )
    kind = models.CharField("type de local", max_length=16, choices=PremisesKind.choices)
    surface = models.PositiveIntegerField(
        "surface (m²)", validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    monthly_rent = models.PositiveIntegerField("loyer mensuel (€)", null=True, blank=True)
    sale_price = models.PositiveIntegerField("prix de vente (€)", null=True, blank=True)
    lease_kind = models.CharField(
        "type de bail proposé", max_length=16, choices=LeaseKind.choices, blank=True
    )
    state = models.CharField(
        "état", max_length=16, choices=PremisesState.choices, default=PremisesState.VACANT
    )
    state_changed_at = models.DateTimeField("état changé le", default=timezone.now)
    managing_partner = models.ForeignKey(
        "partners.Partner",
        verbose_name="partenaire gestionnaire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_name = models.CharField("propriétaire", max_length=200, blank=True)
    has_shop_window = models.BooleanField("vitrine", default=False)
    step_free_access = models.BooleanField("accès de plain-pied", default=False)
    available_from = models.DateField("disponible à partir du", null=True, blank=True)
    vacant_since = models.DateField("vacant depuis", null=True, blank=True)
    description = models.TextField("description", blank=True)
    is_published = models.BooleanField(
        "publier dans le catalogue de la ville",
        default=False,
        help_text="Tant qu’il est vacant ou en travaux, le local est visible de tous sur le "
        "site de la ville : photos, type, surface, loyer ou prix, bail, quartier, vitrine, "
        "accès, disponibilité et description. Jamais le propriétaire ni l’historique.",
    )
    latitude = models.FloatField(
        "latitude",
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        "longitude",
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    location_source = models.CharField(
        "localisation", max_length=16, choices=LocationSource.choices, blank=True
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = PremisesQuerySet.as_manager()

    class Meta:
        verbose_name = "local"
        verbose_name_plural = "locaux"
        ordering = ["address"]

    def __str__(self):
        return f"{self.address} ({self.surface} m²)"

    @property
    def is_located(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def is_available(self):
        return self.state in AVAILABLE_STATES

    def vacancy_days(self, on=None):
        """Days the premises has been empty so far; None when it is let or sold."""
        if self.state not in EMPTY_STATES or self.vacant_since is None:
            return None
        return max(((on or timezone.localdate()) - self.vacant_since).days, 0)

    @transaction.atomic
    def change_state(self, state, *, user=None, partner=None, note="", when=None, refresh=True):
        """Move the premises to `state`, recording who did it and, when it stops being
        empty, how long it stayed empty. Returns the history line (None if unchanged)."""
        state = PremisesState(state)
        if state == self.state and self.pk:
            return None
        when = when or timezone.now()
        previous = self.state if self.pk else ""
        vacancy_days = None
        if state in SETTLED_STATES:
            vacancy_days = self.vacancy_days(on=timezone.localdate(when))
            self.vacant_since = None
        elif self.vacant_since is None:
            self.vacant_since = timezone.localdate(when)
        self.state, self.state_changed_at = state, when
        if self.pk:
            self.save(update_fields=["state", "state_changed_at", "vacant_since", "updated_at"])
        else:
            self.save()
        change = self.state_changes.create(
            from_state=previous,
            to_state=state,
            changed_at=when,
            user=user,
            partner=partner,
            actor=actor_name(user, partner),
            note=note[:500],
            vacancy_days=vacancy_days,
        )
        if refresh:
            self.refresh_matches()
        return change

    def audience(self, recent_days=30):
        """Its catalogue page's views (all time and over the last `recent_days`) and the
        porteurs who said « ce local m'intéresse »."""
        from tenant_apps.proposals.enums import Origin

        since = timezone.localdate() - timedelta(days=recent_days - 1)
        views = self.view_counts.aggregate(
            total=Coalesce(Sum("count"), 0),
            recent=Coalesce(Sum("count", filter=models.Q(day__gte=since)), 0),
        )
        return {
            "views": views["total"],
            "recent_views": views["recent"],
            "recent_days": recent_days,
            "interests": self.proposals.filter(origin=Origin.INTEREST).count(),
        }

    def refresh_matches(self):
        """Recompute this premises' matches; returns a matching.Refreshed (the newly matched
        demands, how many open demands it suits)."""
        from tenant_apps.premises.matching import refresh_for_premises

        return refresh_for_premises(self.pk)


def actor_name(user, partner):
    if user is not None:
        name = user.get_full_name() or user.email
        return f"{name} ({partner.name})" if partner is not None else name
    return partner.name if partner is not None else ""


class PremisesStateChange(models.Model):
    """One line of a premises' state history."""

    premises = models.ForeignKey(Premises, on_delete=models.CASCADE, related_name="state_changes")
    from_state = models.CharField(
        "état précédent", max_length=16, choices=PremisesState.choices, blank=True
    )
    to_state = models.CharField("nouvel état", max_length=16, choices=PremisesState.choices)
    changed_at = models.DateTimeField("le", default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.CharField("par", max_length=200, blank=True)
    note = models.CharField("commentaire", max_length=500, blank=True)
    # Set when the premises stops being empty (let or sold): how long it stayed empty.
    vacancy_days = models.PositiveIntegerField("durée de vacance (jours)", null=True, blank=True)

    class Meta:
        verbose_name = "changement d’état"
        verbose_name_plural = "historique des états"
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["to_state", "changed_at"], name="premises_state_change")]

    def __str__(self):
        return f"{self.premises} : {self.get_to_state_display()}"


def photo_path(photo, filename):
    # Under the town's own media folder (the default storage prefixes the schema).
    return f"locaux/{photo.premises_id}/{uuid.uuid4().hex}.jpg"


class PremisesPhoto(models.Model):
    premises = models.ForeignKey(Premises, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField("photo", upload_to=photo_path)
    caption = models.CharField("légende", max_length=200, blank=True)
    created_at = models.DateTimeField("ajoutée le", default=timezone.now)

    class Meta:
        verbose_name = "photo"
        verbose_name_plural = "photos"
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.caption or f"Photo de {self.premises}"


class MatchQuerySet(models.QuerySet):
    def current(self):
        """Matches between an open demand and an available premises (stale ones, left by
        a bulk change that skipped the refresh, are ignored)."""
        from tenant_apps.demands.enums import OPEN_STATUSES

        return self.filter(demand__status__in=OPEN_STATUSES, premises__state__in=AVAILABLE_STATES)

    def new_since(self, moment):
        return self.filter(created_at__gte=moment)


class Match(models.Model):
    """A demand and a premises that suit each other, with the figures behind the score
    (computed in SQL by tenant_apps.premises.matching; reasons phrased by `reasons`)."""

    demand = models.ForeignKey("demands.Demand", on_delete=models.CASCADE, related_name="matches")
    premises = models.ForeignKey(Premises, on_delete=models.CASCADE, related_name="matches")
    score = models.PositiveSmallIntegerField("score")
    surface_gap = models.SmallIntegerField(default=0)
    price_basis = models.CharField(max_length=8)
    price_gap = models.IntegerField(null=True)
    area_fit = models.PositiveSmallIntegerField(default=0)
    window_fit = models.BooleanField(null=True)
    access_fit = models.BooleanField(null=True)
    lease_fit = models.BooleanField(null=True)
    created_at = models.DateTimeField("trouvée le", default=timezone.now)

    objects = MatchQuerySet.as_manager()

    class Meta:
        verbose_name = "correspondance"
        verbose_name_plural = "correspondances"
        constraints = [
            models.UniqueConstraint(fields=["demand", "premises"], name="one_match_per_pair")
        ]
        indexes = [
            models.Index(fields=["premises", "-score"], name="match_premises_score"),
            models.Index(fields=["created_at"], name="match_recent"),
        ]

    def __str__(self):
        return f"{self.demand_id} ↔ {self.premises_id} ({self.score})"

    @property
    def reasons(self):
        from tenant_apps.premises.matching import reasons

        return reasons(self)


class CatalogueViewCount(models.Model):
    """How many times a premises' catalogue page was seen on a day: a counter, with
    nothing about who saw it."""

    premises = models.ForeignKey(Premises, on_delete=models.CASCADE, related_name="view_counts")
    day = models.DateField("jour")
    count = models.PositiveIntegerField("vues", default=0)

    class Meta:
        verbose_name = "vues du local dans le catalogue"
        verbose_name_plural = "vues des locaux dans le catalogue"
        constraints = [
            models.UniqueConstraint(fields=["premises", "day"], name="one_view_count_per_day")
        ]

    def __str__(self):
        return f"{self.premises} — {self.day} : {self.count}"

    @classmethod
    def record(cls, premises_id, day=None):
        """One more view today, in one statement (concurrent visits never lose a count)."""
        table = cls._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (premises_id, day, count) VALUES (%s, %s, 1) "
                "ON CONFLICT (premises_id, day) "
                f"DO UPDATE SET count = {table}.count + 1",
                [premises_id, day or timezone.localdate()],
            )
