"""Porteurs de projet, their demands and the demands' history (town schema)."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    SearchVectorField,
    TrigramSimilarity,
)
from django.core import signing
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction
from django.db.models.functions import Concat, Upper
from django.utils import timezone

from tenant_apps.demands.enums import (
    OPEN_STATUSES,
    REOPEN_DAYS,
    REOPENABLE_STATUSES,
    TRANSITIONS,
    ActivityCategory,
    DemandStatus,
    DuplicateReason,
    EventKind,
    HeardFrom,
    LeaseKind,
    Outcome,
    Stage,
    Support,
)
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.premises.enums import PremisesKind
from tenants.signing import town_salt

FOLLOWUP_SALT = "boursoloco.suivi"
SEARCH_CONFIG = "public.fr_unaccent"


ERASED_EMAIL_DOMAIN = "anonyme.invalid"

# Trigram similarity (0 to 1) from which two names, and two activities, are "close":
# "Jean Dupont" and "Jean Dupond" (0.71), "Boulangerie" and "Boulangerie artisanale"
# (0.52) are; "Marius Giraud" and "Magali Giraud" (0.47), "Restaurant provençal" and
# "Restaurant italien" (0.38) are not. The `%` operator's own threshold (0.3) lets the
# trigram indexes find the candidates; these stricter ones decide.
NAME_SIMILARITY = 0.5
ACTIVITY_SIMILARITY = 0.5


class InvalidTransition(Exception):
    """A status change the pipeline does not allow; its message is for people."""


class Applicant(models.Model):
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    email = models.EmailField("adresse électronique")
    phone = models.CharField("téléphone", max_length=20, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    # "First last", stored for its trigram index (likely duplicates): a query and an index
    # on the same column, rather than on an expression that must be spelt identically.
    full_name = models.GeneratedField(
        expression=Concat("first_name", models.Value(" "), "last_name"),
        output_field=models.CharField(max_length=201),
        db_persist=True,
    )

    class Meta:
        verbose_name = "porteur de projet"
        verbose_name_plural = "porteurs de projet"
        # email__iexact (upper()): one person's demands, for the duplicate check and new
        # follow-up links, without reading every recent demand of the same activity.
        # The phone and the name (trigrams): likely duplicates (demands.duplicates).
        indexes = [
            models.Index(Upper("email"), name="applicant_email"),
            models.Index(fields=["phone"], name="applicant_phone"),
            GinIndex(fields=["full_name"], opclasses=["gin_trgm_ops"], name="applicant_name_trgm"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def search_text(self):
        """What the demand's full-text index knows of its porteur."""
        return f"{self.first_name} {self.last_name} {self.email}"[:500]


class DemandQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def not_erased(self):
        return self.filter(erased_at__isnull=True)

    def matching_text(self, text):
        """French full-text search, accent-insensitive, on the demand and its porteur; a
        merged demand's reference finds the demand it was merged into."""
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        merged = Demand.all_objects.filter(
            reference__iexact=text.strip(), merged_into__isnull=False
        )
        return self.filter(
            models.Q(search=query)
            | models.Q(reference__iexact=text.strip())
            | models.Q(pk__in=merged.values("merged_into"))
        )

    def needing_action(self, town_settings, today=None):
        """New demands nobody handled in time, and demands whose next action is due."""
        today = today or timezone.localdate()
        stale = timezone.now() - timedelta(days=town_settings.remind_team_after_days)
        return self.filter(
            models.Q(status=DemandStatus.NEW, created_at__lt=stale)
            | models.Q(next_action_on__lte=today, status__in=OPEN_STATUSES)
        )

    def refresh_priority(self):
        """Recompute the stored priority of these demands (nightly, and on each change)."""
        return self.update(priority=priority_expression())

    def recent_duplicate_of(self, email, activity):
        """An open demand by the same email for the same activity in the last 24 hours.
        The address first (applicant_email index): a newcomer's submission — most of
        them — costs one index look-up, whatever the town's recent demands are."""
        applicants = list(
            Applicant.objects.filter(email__iexact=email).values_list("pk", flat=True)
        )
        if not applicants:
            return None
        return (
            self.not_erased()
            .open()
            .filter(
                applicant__in=applicants,
                activity__iexact=activity.strip(),
                created_at__gte=timezone.now() - timedelta(days=1),
            )
            .order_by("created_at")
            .first()
        )

    def likely_duplicates_of(self, demand):
        """The other demands (not erased, not merged) that may be the same project: the same
        email (case-insensitive) or phone (E.164), or a close name for a close activity.
        A list, oldest first, each with `duplicate_reasons` (DuplicateReason labels). One
        SELECT (a UNION of three index look-ups: email, phone, trigrams, then the rows),
        between two settings of the trigram threshold."""
        if demand.erased_at:
            return []
        applicant = demand.applicant
        name = f"{applicant.first_name} {applicant.last_name}"
        others = self.not_erased().exclude(pk=demand.pk).order_by()
        lookups = [
            others.filter(applicant__email__iexact=applicant.email),
            others.filter(
                applicant__full_name__trigram_similar=name,
                activity__trigram_similar=demand.activity,
            ),
        ]
        if applicant.phone:
            lookups.append(others.filter(applicant__phone=applicant.phone))
        ids = [lookup.values("pk") for lookup in lookups]
        candidates = (
            self.filter(pk__in=ids[0].union(*ids[1:]))
            .select_related("applicant")
            .annotate(
                name_similarity=TrigramSimilarity("applicant__full_name", name),
                activity_similarity=TrigramSimilarity("activity", demand.activity),
            )
            .order_by("created_at", "pk")
        )
        with transaction.atomic(), connection.cursor() as cursor:
            # `%` at the thresholds that decide, not pg_trgm's 0.3: the trigram indexes
            # return only close rows, and the planner, seeing how few, uses them (with
            # 0.3, a common first name or activity makes it read every demand).
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
                [str(min(NAME_SIMILARITY, ACTIVITY_SIMILARITY))],
            )
            candidates = list(candidates)
            cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', '0.3', true)")
        duplicates = []
        for candidate in candidates:
            reasons = []
            if candidate.applicant.email.casefold() == applicant.email.casefold():
                reasons.append(DuplicateReason.SAME_EMAIL.label)
            if applicant.phone and candidate.applicant.phone == applicant.phone:
                reasons.append(DuplicateReason.SAME_PHONE.label)
            if (
                candidate.name_similarity >= NAME_SIMILARITY
                and candidate.activity_similarity >= ACTIVITY_SIMILARITY
            ):
                reasons.append(DuplicateReason.CLOSE_NAME_AND_ACTIVITY.label)
            if reasons:
                candidate.duplicate_reasons = reasons
                duplicates.append(candidate)
        return duplicates

    def refresh_duplicate_flags(self):
        """Recompute the stored "doublon probable" flag of these demands (after a merge or
        an erasure took away what flagged them)."""
        for demand in self.select_related("applicant"):
            demand.refresh_duplicate_flag()

    def from_followup_token(self, token):
        """The demand a follow-up link points to (from all_objects, a merged demand, whose
        link leads to the demand it was merged into); raises signing.BadSignature (tampered,
        from another town), signing.SignatureExpired, or Demand.DoesNotExist (revoked)."""
        pk, version = signing.loads(
            token,
            salt=town_salt(FOLLOWUP_SALT),
            max_age=timedelta(days=settings.FOLLOWUP_LINK_DAYS),
        )
        return self.not_erased().get(pk=pk, followup_version=version)


class DemandManager(models.Manager.from_queryset(DemandQuerySet)):
    """The town's demands, without the ones merged into another: those are tombstones whose
    reference and follow-up link lead to the demand they were merged into. So the inbox,
    its counts, the dashboard, exports, matching and alerts never see them; Demand.all_objects
    does (follow-up links, references, the merge itself)."""

    def get_queryset(self):
        return super().get_queryset().filter(merged_into__isnull=True)


def priority_expression():
    """A priority score from 0 to 100: a mature project, in a priority area, that has
    waited, from a porteur who answers."""
    now = timezone.now()
    maturity = models.Case(
        models.When(stage__in=[Stage.MOVING, Stage.NEW_SITE], then=30),
        models.When(stage=Stage.CREATING, then=20),
        default=5,
    )
    fit = models.Case(
        models.When(
            models.Exists(
                Demand.areas.through.objects.filter(
                    demand_id=models.OuterRef("pk"), area__is_priority=True
                )
            ),
            then=25,
        ),
        default=0,
    )
    waiting = models.Case(
        models.When(status=DemandStatus.NEW, created_at__lt=now - timedelta(days=7), then=25),
        models.When(status=DemandStatus.NEW, created_at__lt=now - timedelta(days=2), then=15),
        models.When(status__in=OPEN_STATUSES, then=5),
        default=0,
    )
    responsive = models.Case(
        models.When(applicant_seen_at__gte=now - timedelta(days=30), then=20),
        models.When(applicant_seen_at__gte=now - timedelta(days=90), then=10),
        default=0,
    )
    return maturity + fit + waiting + responsive


class Demand(models.Model):
    reference = models.CharField("référence", max_length=20, unique=True)
    applicant = models.ForeignKey(
        Applicant,
        verbose_name="porteur de projet",
        on_delete=models.CASCADE,
        related_name="demands",
    )
    # The project
    activity = models.CharField("activité", max_length=200)
    naf_code = models.CharField("code NAF", max_length=6, blank=True)
    activity_category = models.CharField(
        "catégorie", max_length=16, choices=ActivityCategory.choices
    )
    description = models.TextField("description du projet", blank=True)
    stage = models.CharField("avancement", max_length=16, choices=Stage.choices)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    opening_date = models.DateField("ouverture souhaitée", null=True, blank=True)
    # The premises
    premises_kind = models.CharField("type de local", max_length=16, choices=PremisesKind.choices)
    surface_min = models.PositiveIntegerField(
        "surface minimale (m²)", validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    surface_max = models.PositiveIntegerField(
        "surface maximale (m²)", validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    monthly_budget = models.PositiveIntegerField(
        "budget de loyer mensuel (€)", null=True, blank=True
    )
    purchase_budget = models.PositiveIntegerField("budget d’achat (€)", null=True, blank=True)
    lease_kinds = ArrayField(
        models.CharField(max_length=16, choices=LeaseKind.choices),
        verbose_name="baux envisagés",
        default=list,
        blank=True,
    )
    areas = models.ManyToManyField(
        "premises.Area", verbose_name="quartiers souhaités", blank=True, related_name="demands"
    )
    needs_shop_window = models.BooleanField("vitrine souhaitée", default=False)
    needs_step_free_access = models.BooleanField("accès de plain-pied", default=False)
    other_needs = models.TextField("autres besoins", blank=True)
    # Support and contact
    support = ArrayField(
        models.CharField(max_length=16, choices=Support.choices),
        verbose_name="accompagnement souhaité",
        default=list,
        blank=True,
    )
    heard_from = models.CharField(
        "a connu le service par", max_length=16, choices=HeardFrom.choices, blank=True
    )
    consent_to_share = models.BooleanField("accepte le partage avec les partenaires", default=False)
    # Life of the demand
    status = models.CharField(
        "statut", max_length=16, choices=DemandStatus.choices, default=DemandStatus.NEW
    )
    outcome = models.CharField("issue", max_length=16, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField("reçue le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    status_changed_at = models.DateTimeField("statut changé le", default=timezone.now)
    applicant_seen_at = models.DateTimeField("dernière nouvelle du porteur", null=True, blank=True)
    followup_version = models.PositiveIntegerField(default=1)
    erased_at = models.DateTimeField("données effacées le", null=True, blank=True)
    # Follow-up by the town's team
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="suivie par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    tags = ArrayField(
        models.CharField(max_length=40), verbose_name="étiquettes", default=list, blank=True
    )
    next_action_on = models.DateField("prochaine action le", null=True, blank=True)
    first_contact_at = models.DateTimeField("premier contact le", null=True, blank=True)
    priority = models.PositiveSmallIntegerField("priorité", default=0)
    # Duplicates (demands.duplicates, demands.merge): a stored flag for the inbox, refreshed
    # on submission, merge and erasure; a merged demand points to the one it joined.
    has_likely_duplicates = models.BooleanField("doublon probable", default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="fusionnée dans",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    merged_at = models.DateTimeField("fusionnée le", null=True, blank=True)
    # The porteur's name and email, copied here so that one full-text index finds a demand
    # by its porteur too (cleared on erasure).
    contact_search = models.CharField(max_length=500, blank=True, editable=False)
    search = models.GeneratedField(
        expression=SearchVector(
            "reference",
            "activity",
            "description",
            "other_needs",
            "contact_search",
            config=SEARCH_CONFIG,
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = DemandManager()
    all_objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = "demande"
        verbose_name_plural = "demandes"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(surface_min__lte=models.F("surface_max")),
                name="surface_range_ordered",
            )
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="demand_status_recent"),
            models.Index(fields=["-created_at"], name="demand_recent"),
            models.Index(fields=["-priority", "created_at"], name="demand_priority"),
            models.Index(
                fields=["next_action_on"],
                name="demand_next_action",
                condition=models.Q(next_action_on__isnull=False),
            ),
            GinIndex("search", name="demand_search"),
            GinIndex("tags", name="demand_tags"),
            GinIndex(fields=["activity"], opclasses=["gin_trgm_ops"], name="demand_activity_trgm"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_alive(self):
        """Open or asleep: the porteur may still update, confirm or close it."""
        return self.is_open or self.status == DemandStatus.DORMANT

    @property
    def reopen_deadline(self):
        """Until when the porteur may reopen this closed demand, or None."""
        if self.status not in REOPENABLE_STATUSES or self.erased_at is not None:
            return None
        return self.status_changed_at + timedelta(days=REOPEN_DAYS)

    @property
    def can_reopen(self):
        deadline = self.reopen_deadline
        return deadline is not None and timezone.now() < deadline

    def refresh_priority(self):
        Demand.objects.filter(pk=self.pk).refresh_priority()

    def refresh_duplicate_flag(self):
        """Store whether this demand has likely duplicates (the inbox's badge), and flag
        them too: the older demand learns of the newer one. Returns the duplicates."""
        duplicates = Demand.objects.likely_duplicates_of(self)
        flag = bool(duplicates)
        if flag != self.has_likely_duplicates:
            self.has_likely_duplicates = flag
            # Not a change of the demand (no updated_at, no signal): a computed badge.
            Demand.all_objects.filter(pk=self.pk).update(has_likely_duplicates=flag)
        Demand.objects.filter(
            pk__in=[duplicate.pk for duplicate in duplicates], has_likely_duplicates=False
        ).update(has_likely_duplicates=True)
        return duplicates

    @property
    def is_merged(self):
        return self.merged_into_id is not None

    @property
    def lease_kind_labels(self):
        return [LeaseKind(kind).label for kind in self.lease_kinds if kind in LeaseKind.values]

    @property
    def support_labels(self):
        return [Support(item).label for item in self.support if item in Support.values]

    def followup_token(self):
        return signing.dumps([self.pk, self.followup_version], salt=town_salt(FOLLOWUP_SALT))

    def followup_path(self):
        return f"/suivi/{self.followup_token()}/"

    def record(
        self,
        kind,
        message="",
        *,
        actor="porteur",
        user=None,
        visible_to_applicant=True,
        from_status="",
        to_status="",
    ):
        if user is not None:
            actor = user.get_full_name() or user.email
        return self.events.create(
            kind=kind,
            message=message,
            actor=actor,
            user=user,
            visible_to_applicant=visible_to_applicant,
            from_status=from_status,
            to_status=to_status,
        )

    def allowed_transitions(self):
        return sorted(TRANSITIONS[DemandStatus(self.status)], key=list(DemandStatus).index)

    def transition_to(self, status, *, user=None, actor="", message="", check=True):
        """Move the demand in the pipeline, timestamped and attributed. The town's staff
        (check=True) follow TRANSITIONS; the porteur and the system close or wake demands."""
        status = DemandStatus(status)
        if status == self.status:
            return None
        if check and status not in TRANSITIONS[DemandStatus(self.status)]:
            raise InvalidTransition(
                f"Une demande « {self.get_status_display()} » ne peut pas passer à "
                f"« {status.label} »."
            )
        previous, now = self.status, timezone.now()
        self.status, self.status_changed_at = status, now
        fields = ["status", "status_changed_at", "updated_at"]
        if user is not None and self.first_contact_at is None:
            self.first_contact_at = now
            fields.append("first_contact_at")
        self.save(update_fields=fields)
        self.refresh_priority()
        return self.record(
            EventKind.STATUS_CHANGED,
            message,
            actor=actor or "porteur",
            user=user,
            from_status=previous,
            to_status=status,
        )

    def add_note(self, user, text):
        return self.record(EventKind.NOTE, text, user=user, visible_to_applicant=False)

    def assign(self, assignee, *, by):
        self.assignee = assignee
        self.save(update_fields=["assignee", "updated_at"])
        label = (assignee.get_full_name() or assignee.email) if assignee else "personne"
        return self.record(EventKind.ASSIGNED, label, user=by, visible_to_applicant=False)

    def revoke_links(self):
        """Every follow-up link sent so far stops working."""
        self.followup_version += 1
        self.save(update_fields=["followup_version", "updated_at"])

    def confirm_still_searching(self):
        self.applicant_seen_at = timezone.now()
        self.save(update_fields=["applicant_seen_at", "updated_at"])
        if self.status == DemandStatus.DORMANT:
            self.transition_to(DemandStatus.SEARCHING, actor="porteur", check=False)
        else:
            self.refresh_priority()
        self.record(EventKind.STILL_SEARCHING)

    @transaction.atomic
    def update_needs(self, data):
        """The porteur changes what they look for, from their follow-up page."""
        for name, value in data.items():
            if name == "areas":
                self.areas.set(value)
            else:
                setattr(self, name, value)
        self.applicant_seen_at = timezone.now()
        self.save()
        self.refresh_priority()
        self.record(EventKind.UPDATED)

    @transaction.atomic
    def close_by_applicant(self, outcome):
        self.outcome = outcome
        self.applicant_seen_at = timezone.now()
        self.transition_to(
            DemandStatus.PREMISES_FOUND
            if outcome == Outcome.FOUND_HERE
            else DemandStatus.ABANDONED,
            actor="porteur",
            check=False,
        )
        self.save(update_fields=["outcome", "applicant_seen_at", "updated_at"])
        self.record(EventKind.CLOSED, Outcome(outcome).label)

    def last_open_status(self):
        """The open status the demand was in before it left the pipeline (through
        "en sommeil", or "local trouvé" then "installé"); "nouvelle" if none is known."""
        moves = self.events.filter(kind=EventKind.STATUS_CHANGED).order_by("-created_at", "-id")
        for from_status in moves.values_list("from_status", flat=True):
            if from_status in OPEN_STATUSES:
                return DemandStatus(from_status)
        return DemandStatus.NEW

    @transaction.atomic
    def reopen_by_applicant(self):
        """The porteur changed their mind within REOPEN_DAYS: back where it was."""
        if not self.can_reopen:
            raise InvalidTransition("Cette demande ne peut plus être rouverte.")
        self.outcome = ""
        self.applicant_seen_at = timezone.now()
        self.save(update_fields=["outcome", "applicant_seen_at", "updated_at"])
        self.transition_to(self.last_open_status(), actor="porteur", check=False)
        self.record(EventKind.REOPENED)

    @transaction.atomic
    def erase(self):
        """Forget who the porteur is; keep what the statistics need (category, premises
        sought, areas, dates, status). The demands merged into this one are erased too, and
        the demands it made look like duplicates lose their flag if nothing else holds."""
        neighbours = [duplicate.pk for duplicate in Demand.objects.likely_duplicates_of(self)]
        applicant = self.applicant
        applicant.first_name = "Anonyme"
        applicant.last_name = ""
        applicant.email = f"efface-{applicant.pk}@{ERASED_EMAIL_DOMAIN}"
        applicant.phone = ""
        applicant.save()
        self.description = ""
        self.siret = ""
        self.other_needs = ""
        self.contact_search = ""
        self.erased_at = timezone.now()
        self.followup_version += 1
        if self.is_open or self.status == DemandStatus.DORMANT:
            self.status = DemandStatus.ABANDONED
            self.status_changed_at = self.erased_at
        self.save()
        self.events.exclude(kind=EventKind.ERASED).update(message="")
        # The porteur's own words on the premises put to them (the answers stay, anonymous).
        self.proposals.update(comment="", visit_availability="", visit_attendees="")
        self.record(EventKind.ERASED, visible_to_applicant=False)
        # The outbox keeps no copy: pending emails are dropped, sent ones emptied.
        outbox = OutboundEmail.objects.filter(key__startswith=f"demand:{self.pk}:")
        outbox.filter(sent_at__isnull=True).delete()
        outbox.update(to=applicant.email, subject="(effacé)", body="")
        merged = Demand.all_objects.filter(merged_into=self, erased_at__isnull=True)
        for tombstone in merged.select_related("applicant"):
            tombstone.erase()
        Demand.all_objects.filter(pk=self.pk).update(has_likely_duplicates=False)
        Demand.objects.filter(pk__in=neighbours).refresh_duplicate_flags()


class DemandEvent(models.Model):
    """One line of a demand's history."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("type", max_length=24, choices=EventKind.choices)
    message = models.TextField("détail", blank=True)
    actor = models.CharField("par", max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=16, choices=DemandStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=DemandStatus.choices, blank=True)
    visible_to_applicant = models.BooleanField(default=True)
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "historique"
        ordering = ["created_at", "id"]
        # The catch-up of submissions whose announcement job was lost.
        indexes = [models.Index(fields=["kind", "created_at"], name="event_kind_recent")]

    def __str__(self):
        return f"{self.demand} — {self.get_kind_display()}"


class Introduction(models.Model):
    """A mise en relation: the porteur and a partner, each told about the other."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="introductions")
    partner = models.ForeignKey(
        "partners.Partner", verbose_name="partenaire", on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField("message", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "mise en relation"
        verbose_name_plural = "mises en relation"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.demand} ↔ {self.partner}"


class Reminder(models.Model):
    """A reminder sent for one step of a demand's life: the unique key makes a second run
    of the same job a no-op."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=32)
    cycle = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "kind", "cycle"], name="one_reminder_per_step"
            )
        ]

    def __str__(self):
        return f"{self.demand} {self.kind} {self.cycle}"


class ReferenceCounter(models.Model):
    """The last sequence number given to a demand, per year: references have no gaps."""

    year = models.PositiveIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year} : {self.last}"

    @classmethod
    def number(cls, demand, prefix, year):
        """Give `demand` the year's next reference, in one statement. The counter row
        stays locked until commit: concurrent submissions each get their own number,
        without gaps; numbering last keeps that lock short."""
        table = cls._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH n AS (UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last) "
                "UPDATE demands_demand SET reference = %s || lpad(n.last::text, "
                "greatest(5, length(n.last::text)), '0') FROM n WHERE id = %s RETURNING reference",
                [year, f"{prefix}-{year}-", demand.pk],
            )
            row = cursor.fetchone()
        if row is None:  # the year's first demand
            row = [cls.next_reference(prefix, year)]
            Demand.objects.filter(pk=demand.pk).update(reference=row[0])
        demand.reference = row[0]

    @classmethod
    def next_reference(cls, prefix, year):
        # The counter row is locked until commit: concurrent submissions each get their
        # own number, without gaps. A year's first number follows the references already
        # there (demo or imported data), read once when the year's row is created.
        table = cls._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last", [year]
            )
            row = cursor.fetchone()
            if row is None:
                cursor.execute(
                    f"INSERT INTO {table} (year, last) VALUES (%s, 1 + COALESCE(("
                    "SELECT max(split_part(reference, '-', 3)::int) FROM demands_demand "
                    "WHERE reference ~ %s), 0)) "
                    f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
                    [year, f"^{re.escape(prefix)}-{year}-[0-9]+$"],
                )
                row = cursor.fetchone()
        number = row[0]
        return f"{prefix}-{year}-{number:05d}"
