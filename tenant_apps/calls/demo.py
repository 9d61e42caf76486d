"""The calls' part of the demo: one open call in Draguignan, a trial shop on one of its
vacant published shops, with a progressive rent and the town's support network. Run
inside the town's schema (the rest of the demo stays as it was)."""

from datetime import timedelta

from django.utils import timezone

from shared_apps.partners.enums import PartnerKind
from tenant_apps.calls.enums import CallKind
from tenant_apps.calls.models import Call
from tenant_apps.demands.enums import LeaseKind
from tenant_apps.network.models import NetworkMember
from tenant_apps.premises.enums import PremisesKind, PremisesState
from tenant_apps.premises.models import Premises

TRIAL_MONTHS = 12
COMMITMENTS = (
    "Ouvrir au moins 5 jours sur 7, dont le samedi ; suivre l’accompagnement proposé ; "
    "faire un point avec la ville aux 1er, 3e, 6e et 12e mois ; tenir la vitrine."
)
DESCRIPTION = (
    "La ville met à disposition une boutique prête à l’emploi, au cœur du centre "
    "historique, pour tester votre commerce pendant un an avec un loyer progressif et un "
    "accompagnement. À l’issue de l’essai réussi, un bail commercial vous est proposé."
)


def progressive_rents(market_rent, months):
    """From 40 % of the market rent up to it, by steps every quarter, in whole tens."""
    steps = (months + 2) // 3
    rents = []
    for month in range(months):
        share = 0.4 + 0.6 * (month // 3) / max(steps - 1, 1)
        rents.append(max(10, int(market_rent * share) // 10 * 10))
    return rents


def open_one(user):
    """One open trial-shop call on a vacant shop (none if the town has no vacant shop with
    a rent, or already has a call)."""
    if Call.objects.exists():
        return None
    premises = (
        Premises.objects.available()
        .filter(kind=PremisesKind.SHOP, monthly_rent__gt=0, state=PremisesState.VACANT)
        .order_by("-is_published", "pk")
        .first()
    )
    if premises is None:
        return None
    support = (
        NetworkMember.objects.active()
        .filter(partner__kind=PartnerKind.SUPPORT_NETWORK)
        .select_related("partner")
        .first()
    )
    deadline = timezone.localtime() + timedelta(days=30)
    call = Call.objects.create(
        premises=premises,
        title=f"Boutique à l’essai — {premises.address.split(',')[0]}",
        kind=CallKind.TRIAL,
        description=DESCRIPTION,
        trial_months=TRIAL_MONTHS,
        market_rent=premises.monthly_rent,
        rent_schedule=progressive_rents(premises.monthly_rent, TRIAL_MONTHS),
        lease_kind=LeaseKind.TRIAL_SHOP,
        support_partner=support.partner if support else None,
        commitments=COMMITMENTS,
        deadline=deadline.replace(hour=12, minute=0, second=0, microsecond=0),
        created_by=user,
    )
    call.set_criteria(
        [
            ("Faisabilité du projet", 40),
            ("Motivation", 30),
            ("Savoir-faire", 20),
            ("Apport au centre-ville", 10),
        ]  # fmt: skip
    )
    call.publish()
    return call
