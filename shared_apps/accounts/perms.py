"""Who may do what: town staff by membership, ANCT staff by platform role and second factor."""

from functools import wraps

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from shared_apps.accounts.enums import Role
from shared_apps.accounts.signals import TOTP_SET_UP_KEY


def town_staff_required(*roles):
    """Require an active membership in the current town, with one of `roles` if given."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = request.user.membership_in(request.tenant) or consultation(request)
            if membership is None or (roles and membership.role not in roles):
                raise PermissionDenied(
                    "Vous ne faites pas partie de l’équipe de cette collectivité."
                )
            request.membership = membership
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


VIEW_AS_KEY = "anct_view_as"


def consultation(request):
    """ANCT staff consulting a town (console "view as"): a read-only, unsaved membership."""
    from shared_apps.accounts.models import Membership

    if (
        request.user.is_anct_staff
        and request.session.get(VIEW_AS_KEY) == request.tenant.schema_name
    ):
        return Membership(user=request.user, territory=request.tenant, role=Role.READ_ONLY)
    return None


town_editor_required = town_staff_required(Role.ADMIN, Role.AGENT)
town_admin_required = town_staff_required(Role.ADMIN)


def used_second_factor(request):
    """A TOTP code (or recovery code) typed at login in this session, or the code that set
    the TOTP up in it."""
    if request.session.get(TOTP_SET_UP_KEY) == request.user.pk:
        return True
    records = get_authentication_records(request, request.user)
    return any(r.get("method") == "mfa" for r in records)


def anct_staff_required(view):
    """ANCT staff only, and only after a second factor (TOTP) in this session."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_anct_staff:
            raise PermissionDenied("Cet espace est réservé aux agents de l’ANCT.")
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return redirect("mfa_activate_totp")
        if not used_second_factor(request):
            # Signed in before the second factor was set up: sign in again, with it.
            logout(request)
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
