"""The team's notifications and each person's choice of what also goes by email (town
schema: a person in two towns has two inboxes and two sets of choices)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from tenant_apps.notifications.enums import EMAILED_BY_DEFAULT, NotificationKind

# The bell counts up to this, then shows "99+": a count that reads at most this many rows
# of a person's unread index, however many piled up.
COUNT_CAP = 99


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def unread_first(self):
        is_read = models.ExpressionWrapper(
            models.Q(read_at__isnull=False), output_field=models.BooleanField()
        )
        return self.order_by(is_read, "-created_at", "-id")

    def mark_read(self):
        return self.unread().update(read_at=timezone.now())

    def capped_unread_count(self):
        """How many unread, up to COUNT_CAP + 1, in one query on the unread index."""
        return self.unread().order_by()[: COUNT_CAP + 1].count()


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinataire",
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField("type", max_length=20, choices=NotificationKind.choices)
    text = models.CharField("texte", max_length=300)
    # A path of this town's back-office (/gestion/…), never a full address: the link
    # cannot lead out of the town.
    url = models.CharField("lien", max_length=300)
    # What makes it happen once: a demand's event and its recipient, a task and its due
    # date… Writing the same key twice (a job run twice) notifies once.
    key = models.CharField("clé d’unicité", max_length=200, unique=True)
    created_at = models.DateTimeField("le", default=timezone.now)
    read_at = models.DateTimeField("lue le", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification"
        verbose_name_plural = "notifications"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell's count, on every back-office page: only a person's unread rows.
            models.Index(
                fields=["recipient", "-created_at"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient_id} : {self.text}"

    @property
    def is_read(self):
        return self.read_at is not None

    def mark_read(self):
        if self.read_at is None:
            self.read_at = timezone.now()
            Notification.objects.filter(pk=self.pk, read_at__isnull=True).update(
                read_at=self.read_at
            )


def emailed_by_default():
    return list(EMAILED_BY_DEFAULT)


class PreferenceQuerySet(models.QuerySet):
    def emailed_kinds(self, users):
        """{user id: set of kinds that also go by email} for `users`, defaults included."""
        chosen = dict(self.filter(user__in=users).values_list("user_id", "email_kinds"))
        return {user.pk: set(chosen.get(user.pk, EMAILED_BY_DEFAULT)) for user in users}


class Preference(models.Model):
    """Which kinds of notification also go to this person by email (in the app, all do).
    No row: the defaults (EMAILED_BY_DEFAULT)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    email_kinds = ArrayField(
        models.CharField(max_length=20, choices=NotificationKind.choices),
        verbose_name="aussi par courriel",
        default=emailed_by_default,
        blank=True,
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = PreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = "réglage des notifications"
        verbose_name_plural = "réglages des notifications"

    def __str__(self):
        return f"{self.user_id} : {', '.join(self.email_kinds) or 'aucun courriel'}"
