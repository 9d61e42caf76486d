"""The onboarding's part of the demo: a claim waiting for the ANCT in the console (a
private space asked for by someone the console cannot yet vouch for)."""

from django.db import transaction

from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import Membership
from shared_apps.onboarding.models import Claim
from tenants.enums import TerritoryKind, TerritoryStatus
from tenants.models import Territory
from tenants.provisioning import provision_territory

CLAIMANT = {
    "email": "lea.fabre@lorgues.demo.boursoloco.fr",
    "first_name": "Léa",
    "last_name": "Fabre",
}


def ensure_pending_claim(ensure_account):
    """Lorgues, asked for by email alone: private until the ANCT verifies it. Returns
    whether it was created. `ensure_account(email, first_name=…, last_name=…)` gives
    the demo account of an address."""
    if Territory.objects.filter(slug="lorgues").exists():
        return False
    user, _ = ensure_account(**CLAIMANT)
    with transaction.atomic():
        town = provision_territory(
            name="Lorgues",
            slug="lorgues",
            kind=TerritoryKind.COMMUNE,
            official_code="83069",
            siren="218300697",
            status=TerritoryStatus.PRE_OPENING,
            verification=None,
        )
        Membership.objects.create(user=user, territory=town, role=Role.ADMIN)
        Claim.objects.create(territory=town, claimant=user)
    return True
