"""Background jobs for accounts."""

from django.contrib.sessions.models import Session
from django.utils import timezone


def clear_expired_sessions():
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
