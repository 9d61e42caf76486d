"""The team's tasks, each on one demand or one premises, and each person's secret
calendar feed of them (town schema)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from tenant_apps.demands.enums import EventKind


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)

    def overdue(self, today):
        return self.open().filter(due_on__lt=today)

    def due_by(self, day):
        """Open tasks due on `day` or before."""
        return self.open().filter(due_on__lte=day)

    def assigned_to(self, user):
        return self.filter(assignee=user)

    def recently_done(self, since):
        return self.filter(done_at__gte=since)

    def with_subject(self):
        return self.select_related("demand", "premises", "assignee", "done_by")


class Task(models.Model):
    demand = models.ForeignKey(
        "demands.Demand",
        verbose_name="demande",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
    )
    premises = models.ForeignKey(
        "premises.Premises",
        verbose_name="local",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
    )
    title = models.CharField("tâche", max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="confiée à",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField("échéance")
    done_at = models.DateTimeField("faite le", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="faite par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "tâche"
        verbose_name_plural = "tâches"
        ordering = ["due_on", "pk"]
        constraints = [
            # On a demand or on a premises: exactly one of the two.
            models.CheckConstraint(
                condition=models.Q(demand__isnull=False, premises__isnull=True)
                | models.Q(demand__isnull=True, premises__isnull=False),
                name="task_on_demand_or_premises",
            )
        ]
        indexes = [
            models.Index(
                fields=["assignee", "due_on"],
                name="task_open_due",
                condition=models.Q(done_at__isnull=True),
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_done(self):
        return self.done_at is not None

    @property
    def subject(self):
        """What the task is about, as people read it: a demand or a premises."""
        if self.demand_id:
            return f"{self.demand.reference} · {self.demand.activity}"
        return self.premises.address

    def path(self):
        """The back-office page of what the task is about."""
        if self.demand_id:
            return f"/gestion/demandes/{self.demand.reference}/"
        return f"/gestion/locaux/{self.premises_id}/"

    def describe(self):
        who = (self.assignee.get_full_name() or self.assignee.email) if self.assignee else ""
        text = f"{self.title} — échéance le {self.due_on:%d/%m/%Y}"
        return f"{text}, confiée à {who}" if who else text

    @transaction.atomic
    def add(self, *, by):
        """Save a new task; a demand's history says so (never shown to the porteur)."""
        self.created_by = by
        self.save()
        if self.demand_id:
            self.demand.record(
                EventKind.TASK_ADDED, self.describe(), user=by, visible_to_applicant=False
            )
        return self

    @transaction.atomic
    def mark_done(self, *, by):
        if self.is_done:
            return False
        self.done_at, self.done_by = timezone.now(), by
        self.save(update_fields=["done_at", "done_by", "updated_at"])
        if self.demand_id:
            self.demand.record(EventKind.TASK_DONE, self.title, user=by, visible_to_applicant=False)
        return True

    def mark_undone(self):
        if not self.is_done:
            return False
        self.done_at = self.done_by = None
        self.save(update_fields=["done_at", "done_by", "updated_at"])
        return True


def token_hash(token):
    # The token carries 256 random bits: a plain digest is enough to keep it unusable
    # if the table leaks, and lets a request find its feed by an index look-up.
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedQuerySet(models.QuerySet):
    def from_token(self, token):
        """The feed of this secret token, or None (unknown, revoked, another town's)."""
        return self.select_related("user").filter(token_hash=token_hash(token)).first()


class CalendarFeed(models.Model):
    """A person's secret calendar address for their open tasks in this town: only its
    hash is stored; regenerating it replaces the hash, so the old address stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = "agenda des tâches"
        verbose_name_plural = "agendas des tâches"

    def __str__(self):
        return f"Agenda de {self.user}"

    @classmethod
    def issue(cls, user):
        """A new secret token for `user` (the previous one, if any, stops working);
        returned once, never stored."""
        token = secrets.token_urlsafe(32)
        cls.objects.update_or_create(
            user=user, defaults={"token_hash": token_hash(token), "created_at": timezone.now()}
        )
        return token


RECENTLY_DONE = timedelta(days=7)
