"""Bind each session to the host it was opened on."""

from django.contrib.auth.signals import user_logged_in
from django.db import connection
from django.dispatch import receiver

SESSION_TERRITORY_KEY = "territory_schema"


@receiver(user_logged_in)
def remember_session_territory(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_TERRITORY_KEY] = connection.schema_name
