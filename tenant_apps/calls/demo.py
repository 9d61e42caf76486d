"""The calls' part of the demo: in Draguignan, one open call (a trial shop on one of its
vacant published shops, with a progressive rent and the town's support network) and one
finished call, decided, whose applications carry their decisions (the trials' demo starts
the selected porteur's trial). Run inside the town's schema (the rest of the demo stays as
it was)."""

from datetime import timedelta

from django.utils import timezone

from shared_apps.partners.enums import PartnerKind
from tenant_apps.calls.enums import CallKind, CallStatus, Decision
from tenant_apps.calls.models import Application, Call, private_dir
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


def vacant_shop(excluded=()):
    return (
        Premises.objects.available()
        .filter(kind=PremisesKind.SHOP, monthly_rent__gt=0, state=PremisesState.VACANT)
        .exclude(pk__in=excluded)
        .order_by("-is_published", "pk")
        .first()
    )


def open_one(user):
    """One open trial-shop call on a vacant shop (none if the town has no vacant shop with
    a rent, or already has a call)."""
    if Call.objects.exists():
        return None
    premises = vacant_shop()
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


# The finished call's porteurs: (name, project, decision, reason when declined).
CANDIDATES = [
    (
        "Léa Fabre",
        "Une boutique de créateurs varois : céramique, linge de maison, bijoux, avec un "
        "atelier ouvert le samedi.",
        Decision.SELECTED,
        "",
    ),
    (
        "Karim Benali",
        "Un torréfacteur de quartier avec quelques tables pour la dégustation.",
        Decision.WAITING,
        "",
    ),
    (
        "Sophie Marchetti",
        "Une friperie en ligne qui cherche un point de retrait.",
        Decision.DECLINED,
        "Le projet repose surtout sur la vente en ligne : la boutique serait peu ouverte.",
    ),
]
# The smallest PDF that passes for a plan (the demo's porteurs have no real one).
DEMO_PLAN = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def finish_one(user):
    """One call decided three months ago on another vacant shop, three applications with
    their decisions set (selected, waiting list, declined with its reason); none if the
    town already has a decided call or no second vacant shop."""
    if Call.objects.filter(status=CallStatus.DECIDED).exists():
        return None
    premises = vacant_shop(excluded=Call.objects.values("premises_id"))
    if premises is None:
        return None
    now = timezone.now()
    deadline = timezone.localtime(now - timedelta(days=100)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    call = Call.objects.create(
        premises=premises,
        title=f"Boutique à l’essai — {premises.address.split(',')[0]}",
        kind=CallKind.TRIAL,
        description=DESCRIPTION,
        trial_months=TRIAL_MONTHS,
        market_rent=premises.monthly_rent,
        rent_schedule=progressive_rents(premises.monthly_rent, TRIAL_MONTHS),
        lease_kind=LeaseKind.TRIAL_SHOP,
        commitments=COMMITMENTS,
        deadline=deadline,
        status=CallStatus.DECIDED,
        published_at=deadline - timedelta(days=45),
        created_by=user,
        created_at=deadline - timedelta(days=50),
    )
    call.set_criteria([("Faisabilité du projet", 50), ("Motivation", 30), ("Savoir-faire", 20)])
    folder = private_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for number, (name, project, decision, reason) in enumerate(CANDIDATES):
        application = Application(
            call=call,
            name=name,
            email=f"candidat{number + 1}@exemple.fr",
            phone=f"+3361234567{number}",
            project=project,
            experience="Plusieurs années dans le métier, une première activité sur les marchés.",
            motivation="Ouvrir en centre-ville, là où passent les clients.",
            plan_file_name="plan-d-affaires.pdf",
            plan_size=len(DEMO_PLAN),
            plan_stored_name=Application.new_stored_name(),
            created_at=deadline - timedelta(days=10 * (number + 1)),
            decision=decision,
            decision_reason=reason,
            decided_by=user,
            decided_at=deadline + timedelta(days=21),
        )
        (folder / application.plan_stored_name).write_bytes(DEMO_PLAN)
        application.save()
    return call
