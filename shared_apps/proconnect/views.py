"""ProConnect's OpenID Connect exchange: allauth's, with the ID token always verified
(signature, issuer, audience, expiry, nonce) and the userinfo taken only as the signed JWT
ProConnect answers with (application/jwt), checked against the provider's published keys."""

import logging
from functools import cached_property

import jwt
import requests
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404
from django.urls import reverse
from django.utils.crypto import constant_time_compare

logger = logging.getLogger(__name__)

# ProConnect signs with the algorithm registered for the client; ours is RS256.
ALGORITHMS = ["RS256"]


class ProConnectError(OAuth2Error):
    """An answer of ProConnect that is refused; the message is for the person."""


class ProConnectOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    provider_id = "proconnect"
    # The state stashed when the person left for ProConnect (set by CallbackView): it
    # holds the nonce, and carries the ID token on to the session (see signals.py).
    state = None

    def __init__(self, request):
        super().__init__(request, self.provider_id)

    def get_callback_url(self, request, app):
        # Each host has its own: the session that holds the state lives on that host.
        return request.build_absolute_uri(reverse("proconnect_callback"))

    def complete_login(self, request, app, token, **kwargs):
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise ProConnectError("ProConnect n’a pas renvoyé de jeton d’identité.")
        identity = self.verify_id_token(app, id_token)
        userinfo = self.fetch_userinfo(app, token.token)
        if userinfo.get("sub") != identity["sub"]:
            raise ProConnectError(
                "Les informations renvoyées par ProConnect ne concernent pas la personne "
                "identifiée."
            )
        self.state["id_token"] = id_token
        return self.get_provider().sociallogin_from_response(request, userinfo)

    def verify_id_token(self, app, id_token):
        try:
            identity = jwt.decode(
                id_token,
                key=self.signing_key(id_token),
                algorithms=ALGORITHMS,
                issuer=self.openid_config["issuer"],
                audience=app.client_id,
                options={"require": ["iss", "aud", "exp", "iat", "sub", "nonce"]},
            )
        except jwt.PyJWTError as error:
            raise ProConnectError(
                "Le jeton d’identité renvoyé par ProConnect n’est pas valide."
            ) from error
        expected = (self.state or {}).get("nonce") or ""
        if not expected or not constant_time_compare(identity["nonce"], expected):
            raise ProConnectError(
                "Le jeton d’identité renvoyé par ProConnect ne correspond pas à cette demande "
                "de connexion."
            )
        return identity

    def fetch_userinfo(self, app, access_token):
        with get_adapter().get_requests_session() as session:
            response = session.get(
                self.profile_url, headers={"Authorization": f"Bearer {access_token}"}
            )
            response.raise_for_status()
        if response.headers.get("Content-Type", "").split(";")[0].strip() != "application/jwt":
            raise ProConnectError(
                "ProConnect a renvoyé les informations sur votre identité sans les signer : "
                "elles ne peuvent pas être acceptées."
            )
        userinfo_jwt = response.text.strip()
        try:
            userinfo = jwt.decode(
                userinfo_jwt,
                key=self.signing_key(userinfo_jwt),
                algorithms=ALGORITHMS,
                options={"verify_aud": False, "require": ["sub"]},
            )
        except jwt.PyJWTError as error:
            raise ProConnectError(
                "La signature des informations renvoyées par ProConnect sur votre identité "
                "n’est pas valide : elles ne peuvent pas être acceptées."
            ) from error
        # iss and aud are optional in a signed userinfo; when there, they must be ours.
        issuer = self.openid_config["issuer"]
        audience = userinfo.get("aud", app.client_id)
        audiences = [audience] if isinstance(audience, str) else audience
        if userinfo.get("iss", issuer) != issuer or app.client_id not in audiences:
            raise ProConnectError(
                "Les informations renvoyées sur votre identité ne sont pas destinées à ce site."
            )
        return userinfo

    def signing_key(self, token):
        """The public key, among those ProConnect publishes, that signed `token`."""
        kid = jwt.get_unverified_header(token).get("kid")
        for key in self.published_keys:
            if kid is None or key.key_id == kid:
                return key
        raise jwt.InvalidKeyError(f"no published key {kid!r}")

    @cached_property
    def published_keys(self):
        with get_adapter().get_requests_session() as session:
            response = session.get(self.openid_config["jwks_uri"])
            response.raise_for_status()
        try:
            return jwt.PyJWKSet.from_dict(response.json()).keys
        except (ValueError, jwt.PyJWTError) as error:
            raise ProConnectError("Les clés publiées par ProConnect sont illisibles.") from error


class CallbackView(OAuth2CallbackView):
    def _get_state(self, request, provider):
        state, response = super()._get_state(request, provider)
        self.adapter.state = state
        return state, response


def unreachable(request, error):
    """ProConnect did not answer, or not as expected: say so (sign-in by code still works)."""
    logger.warning("ProConnect injoignable : %s", error)
    provider = get_adapter().get_provider(request, ProConnectOAuth2Adapter.provider_id)
    return render_authentication_error(request, provider, exception=error)


def proconnect_view(view_class):
    @login_not_required
    def view(request):
        try:
            return view_class.adapter_view(ProConnectOAuth2Adapter(request))(request)
        except SocialApp.DoesNotExist:
            raise Http404("ProConnect n’est pas configuré.") from None
        except requests.RequestException as error:  # bad JSON included
            return unreachable(request, error)

    return view


login = proconnect_view(OAuth2LoginView)
callback = proconnect_view(CallbackView)
