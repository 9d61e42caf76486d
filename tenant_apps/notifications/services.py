"""Notifying the town's team: one row per person in the app (the bell), and an email
through the town's outbox to those who chose that kind by email — each exactly once,
however many times it is asked (the notification's key, then the outbox's)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse

from tenant_apps.mailing.services import queue_email
from tenant_apps.notifications.models import Notification, Preference
from tenants.models import Territory

GENERIC_EMAIL = "notifications/emails/notification.txt"
BACKOFFICE = "/gestion/"


@dataclass
class Draft:
    """A notification to write. The email defaults to the generic one, keyed after the
    notification; a source may give its own template and context (a richer email kept
    from before the bell) and key (under demand:<id>: so that an erasure empties it)."""

    user: object
    kind: str
    text: str
    url: str
    key: str
    email_key: str = ""
    template: str = GENERIC_EMAIL
    context: dict = field(default_factory=dict)


class NotBackOfficeUrl(ValueError):
    """A notification leads into the town's back-office, nowhere else."""


def check_url(url):
    if not url.startswith(BACKOFFICE) or "//" in url or "\\" in url:
        raise NotBackOfficeUrl(f"Lien de notification hors de l’espace de gestion : {url!r}")
    return url


def notify(user, kind, text, url, key):
    """Tell `user` (in the app, and by email if they chose `kind` by email) that `text`,
    with a link to `url`, a path of this town's back-office. Idempotent on `key`, which is
    unique in the town: the same key a second time does nothing. For other apps' jobs
    (overdue tasks, see tasks.py); returns the notification."""
    send([Draft(user=user, kind=kind, text=text, url=url, key=key)])
    return Notification.objects.get(key=key)


def send(drafts):
    """Write the drafts' notifications (those whose key exists are skipped) and queue the
    emails their recipients chose, in one transaction. Returns how many were drafted."""
    drafts = [draft for draft in drafts if draft.user is not None]
    if not drafts:
        return 0
    for draft in drafts:
        check_url(draft.url)
    users = list({draft.user.pk: draft.user for draft in drafts}.values())
    with transaction.atomic():
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient=draft.user,
                    kind=draft.kind,
                    text=draft.text[:300],
                    url=draft.url,
                    key=draft.key,
                )
                for draft in drafts
            ],
            ignore_conflicts=True,
        )
        emailed = Preference.objects.emailed_kinds(users)
        by_email = [
            draft
            for draft in drafts
            if draft.kind in emailed[draft.user.pk] and draft.user.is_active and draft.user.email
        ]
        if by_email:
            queue_emails_of(by_email)
    return len(drafts)


def queue_emails_of(drafts):
    town = Territory.objects.current()
    preferences_url = town.url(reverse("notifications:preferences"))
    for draft in drafts:
        queue_email(
            draft.email_key or f"notification:{draft.key}",
            draft.user.email,
            "notifications/emails/wrapper.txt",
            {
                "territory": town,
                "user": draft.user,
                "text": draft.text,
                "url": town.url(draft.url),
                **draft.context,
                "template": draft.template,
                "preferences_url": preferences_url,
            },
        )
