"""allauth's social-account adapter: ProConnect is the only provider, it alone may create
accounts, and its failures are told in French."""

import logging
import secrets

import requests
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from shared_apps.proconnect.provider import PROVIDER_ID, social_app
from shared_apps.proconnect.views import ProConnectError

logger = logging.getLogger(__name__)

UNREACHABLE = (
    "ProConnect ne répond pas pour le moment : réessayez dans quelques minutes, ou "
    "connectez-vous avec un code reçu par courriel."
)
EXPIRED = (
    "Cette demande de connexion a expiré ou n’a pas été faite depuis ce navigateur : "
    "recommencez la connexion avec ProConnect."
)
REFUSED = "ProConnect n’a pas pu confirmer votre identité : recommencez la connexion."


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        # The only client is ProConnect's, from the settings (none in the database).
        app = social_app()
        if app is None or provider not in (None, PROVIDER_ID):
            return []
        if client_id and client_id != app.client_id:
            return []
        return [app]

    def is_open_for_signup(self, request, sociallogin):
        # Password sign-up stays closed (accounts.adapter); a person ProConnect vouches for
        # may get an account.
        return sociallogin.provider.id == PROVIDER_ID

    def generate_state_param(self, state):
        # ProConnect requires at least 32 characters.
        return secrets.token_urlsafe(32)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        message = failure_message(exception, extra_context or {})
        logger.warning("Connexion ProConnect refusée (%s) : %r", error, exception)
        if extra_context is not None:
            extra_context["failure_message"] = message


def failure_message(exception, context):
    """What to tell the person whose ProConnect login failed."""
    if isinstance(exception, ProConnectError):
        return str(exception)
    if isinstance(exception, requests.RequestException):
        return UNREACHABLE
    if exception is None and "state_id" in context:
        return EXPIRED  # no login of this browser waits for this answer
    return REFUSED
