"""Keep the claims of each ProConnect login in the session (see session.py)."""

from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from shared_apps.proconnect.provider import PROVIDER_ID
from shared_apps.proconnect.session import forget_login, remember_login


@receiver(user_logged_in)
def remember_proconnect_login(sender, request, user, sociallogin=None, **kwargs):
    # allauth sends this once the login is complete, second factor included; any other
    # kind of login replaces what an earlier ProConnect login of the session had left.
    forget_login(request.session)
    if sociallogin is not None and sociallogin.account.provider == PROVIDER_ID:
        remember_login(
            request.session, sociallogin.account.extra_data, sociallogin.state.get("id_token")
        )
