"""The town's team: invitations by email, roles, deactivation (memberships live in the
public schema; a town only ever touches its own)."""

from django.db import transaction

from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import Membership
from shared_apps.accounts.verification import verified_user
from shared_apps.billing.services import PlanLimitReached, check_staff_seat
from tenant_apps.mailing.services import queue_email


class TeamError(Exception):
    """A change to the team that would leave it unmanageable; the message is for people."""


@transaction.atomic
def invite(territory, email, role, *, by):
    email = email.strip().lower()
    try:
        check_staff_seat(territory)
    except PlanLimitReached as error:
        raise TeamError(str(error)) from None
    # The admin vouches for the address; the first sign-in by emailed code proves it.
    user = verified_user(email, first_name="", last_name="")
    membership, created = Membership.objects.get_or_create(
        user=user, territory=territory, defaults={"role": role}
    )
    if not created:
        if membership.is_active:
            raise TeamError(f"{email} fait déjà partie de l’équipe.")
        membership.is_active, membership.role = True, role
        membership.save(update_fields=["is_active", "role"])
    queue_email(
        f"team:{territory.pk}:invite:{membership.pk}:{membership.role}:{membership.is_active}",
        email,
        "backoffice/emails/invitation.txt",
        {
            "territory": territory,
            "role": Role(role).label,
            "by": by.get_full_name() or by.email,
            "login_url": territory.url("/compte/login/code/"),
        },
    )
    return membership


def ensure_an_admin_remains(territory, membership, *, role, is_active):
    if membership.role != Role.ADMIN or (role == Role.ADMIN and is_active):
        return
    others = (
        Membership.objects.active()
        .filter(territory=territory, role=Role.ADMIN)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise TeamError("L’équipe doit garder au moins un administrateur actif.")


def update(territory, membership, *, role, is_active):
    ensure_an_admin_remains(territory, membership, role=role, is_active=is_active)
    if is_active and not membership.is_active:
        try:
            check_staff_seat(territory)
        except PlanLimitReached as error:
            raise TeamError(str(error)) from None
    membership.role, membership.is_active = role, is_active
    membership.save(update_fields=["role", "is_active"])
    return membership
