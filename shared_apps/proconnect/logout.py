"""Sign a session that came from ProConnect out at ProConnect too (RP-initiated logout):
the person goes through ProConnect's end_session_endpoint, which signs them out there
and at their identity provider, then comes back to this host's home page."""

import logging
import secrets

import requests
from allauth.socialaccount.models import SocialApp
from django.utils.http import urlencode

from shared_apps.proconnect.provider import is_enabled
from shared_apps.proconnect.session import ID_TOKEN_SESSION_KEY
from shared_apps.proconnect.views import ProConnectOAuth2Adapter

logger = logging.getLogger(__name__)


def end_session_url(request):
    """ProConnect's end_session URL for this session, or None: not from ProConnect, or
    ProConnect unreachable (the sign-out here goes on all the same)."""
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if not id_token or not is_enabled():
        return None
    try:
        endpoint = ProConnectOAuth2Adapter(request).openid_config.get("end_session_endpoint")
    except (requests.RequestException, SocialApp.DoesNotExist) as error:
        logger.warning("Déconnexion de ProConnect impossible : %s", error)
        return None
    if not endpoint:
        return None
    # The home page, where nothing is done on arrival: the state (which ProConnect
    # requires, 32 characters at least) needs no check there.
    params = {
        "id_token_hint": id_token,
        "state": secrets.token_urlsafe(32),
        "post_logout_redirect_uri": request.build_absolute_uri("/"),
    }
    return f"{endpoint}?{urlencode(params)}"
