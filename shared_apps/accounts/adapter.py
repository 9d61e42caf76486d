"""allauth adapter: invitations only for now, landing pages per host, and a password
just typed at login counting as a reauthentication."""

import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from django.db import connection

from shared_apps.proconnect.logout import end_session_url


def sender_name():
    """The town sending the email, or the service itself on the national site."""
    tenant = getattr(connection, "tenant", None)
    if tenant is None or tenant.schema_name == "public":
        return "BoursOloco"
    return tenant.name


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Staff accounts are created by invitation (town team, onboarding, demo); open
        # partner registration comes with the partner directory.
        return False

    def get_login_redirect_url(self, request):
        tenant = getattr(request, "tenant", None)
        if tenant is not None and not tenant.is_public:
            if request.user.membership_in(tenant) is None:
                if hasattr(request.user, "partner_member"):
                    return "/partenaires/"
                # An outside juror: their seat on a call's jury is their only access.
                return "/gestion/jury/"
            return "/gestion/"
        if hasattr(request.user, "partner_member"):
            return "/partenaires/"
        if request.user.is_anct_staff:
            return "/console/"
        return "/"

    def get_logout_redirect_url(self, request):
        # A session opened through ProConnect is closed there too; it comes back home.
        return end_session_url(request) or super().get_logout_redirect_url(request)

    def is_reauthentication_required(self, *, app, **kwargs):
        # allauth asks for the password again before any change of the second factor,
        # even seconds after the login form took it: an ANCT agent setting up TOTP at
        # first login typed it twice. A password typed in this session within the
        # reauthentication timeout (5 minutes) proves the same thing.
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        return not typed_password_recently(self.request)

    def send_mail(self, template_prefix, email, context):
        context = {**context, "sender_name": sender_name()}
        return super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject):
        return f"[{sender_name()}] {subject}"

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth counts failed logins per site; an account is the same on every town,
        # so its failed attempts are counted together (see tenants.cache).
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"boursoloco:{login}"


def typed_password_recently(request):
    if request is None or not request.user.is_authenticated:
        return False
    since = time.time() - app_settings.REAUTHENTICATION_TIMEOUT
    return any(
        record.get("method") == "password" and record.get("at", 0) > since
        for record in get_authentication_records(request, request.user)
    )
