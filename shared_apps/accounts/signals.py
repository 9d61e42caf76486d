"""Bind each session to the host it was opened on; remember a second factor set up in it."""

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in
from django.db import connection
from django.dispatch import receiver

SESSION_TERRITORY_KEY = "territory_schema"
# The user who set up their TOTP in this session, typing a code it gave: a second factor
# used, as at login (see accounts.perms.used_second_factor).
TOTP_SET_UP_KEY = "totp_set_up_by"


@receiver(user_logged_in)
def remember_session_territory(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_TERRITORY_KEY] = connection.schema_name


@receiver(authenticator_added)
def remember_totp_set_up(sender, request, user, authenticator, **kwargs):
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        request.session[TOTP_SET_UP_KEY] = user.pk
        # allauth sends this signal once the activation commits, which may come after
        # the response saved the session (in an outer transaction): save it now.
        request.session.save()
