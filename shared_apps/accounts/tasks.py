"""Background jobs for accounts."""

from django.contrib.sessions.models import Session
from django.utils import timezone

from shared_apps.accounts.one_time import forget_used_links


def clear_expired_sessions():
    """Daily: expired sessions, and the used one-time links' nonces past their expiry."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted + forget_used_links()
