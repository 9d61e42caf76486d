"""The ProConnect provider: allauth's OpenID Connect provider with what ProConnect asks
for — its scopes, PKCE, a nonce — and people's names from given_name and usual_name.
Its client comes from the settings (PROCONNECT_ISSUER, _CLIENT_ID, _CLIENT_SECRET); with
no issuer, ProConnect is off: no app, no button, and its URLs answer 404."""

import secrets

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    OpenIDConnectProviderAccount,
)
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from shared_apps.proconnect.session import CLAIMS
from shared_apps.proconnect.views import ProConnectOAuth2Adapter

PROVIDER_ID = "proconnect"
SCOPES = ["openid", *CLAIMS]


def is_enabled():
    return bool(settings.PROCONNECT_ISSUER)


def social_app():
    """ProConnect's client as allauth sees it (never saved), or None when it is off."""
    if not is_enabled():
        return None
    return SocialApp(
        provider=PROVIDER_ID,
        provider_id=PROVIDER_ID,
        name="ProConnect",
        client_id=settings.PROCONNECT_CLIENT_ID,
        secret=settings.PROCONNECT_CLIENT_SECRET,
        settings={
            "server_url": settings.PROCONNECT_ISSUER,
            # An existing account is signed in by its address (ProConnect's identity
            # providers vouch for it) and the ProConnect identity linked to it.
            "email_authentication": True,
        },
    )


class ProConnectAccount(OpenIDConnectProviderAccount):
    def to_str(self):
        return self.account.extra_data.get("email") or super().to_str()


class ProConnectProvider(OpenIDConnectProvider):
    id = PROVIDER_ID
    name = "ProConnect"
    account_class = ProConnectAccount
    oauth2_adapter_class = ProConnectOAuth2Adapter
    pkce_enabled_default = True
    supports_token_authentication = False

    def get_login_url(self, request, **kwargs):
        url = reverse("proconnect_login")
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self):
        return reverse("proconnect_callback")

    def get_oauth2_adapter(self, request):
        return ProConnectOAuth2Adapter(request)

    def get_default_scope(self):
        return list(SCOPES)

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        # ProConnect requires a nonce; it comes back inside the ID token, which is checked
        # against the copy kept in the login's state.
        nonce = secrets.token_urlsafe(32)
        auth_params = {**(kwargs.pop("auth_params", None) or self.get_auth_params())}
        auth_params["nonce"] = nonce
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )

    # `data` is the userinfo, already verified (views.ProConnectOAuth2Adapter).
    def extract_uid(self, data):
        return str(data["sub"])

    def extract_extra_data(self, data):
        return {name: data.get(name) for name in ("sub", *CLAIMS)}

    def extract_common_fields(self, data):
        return {
            "email": (data.get("email") or "").lower(),
            "first_name": data.get("given_name") or "",
            "last_name": data.get("usual_name") or "",
        }

    def extract_email_addresses(self, data):
        email = (data.get("email") or "").lower()
        # ProConnect's identity providers vouch for the address.
        return [EmailAddress(email=email, verified=True, primary=True)] if email else []


provider_classes = [ProConnectProvider]
