"""The exchanges' part of the demo: a few calls, meetings and visits on demands under way,
with the town's economic developer and, now and then, a partner of the network. Run
inside a town's schema, with its own random draws (the rest of the demo stays as it was)."""

import random
from datetime import timedelta

from django.utils import timezone

from tenant_apps.demands.enums import DemandStatus
from tenant_apps.demands.models import Demand, DemandEvent
from tenant_apps.exchanges.enums import ExchangeKind
from tenant_apps.exchanges.models import Exchange
from tenant_apps.network.models import NetworkMember

SUMMARIES = {
    ExchangeKind.CALL: [
        "Premier appel : le projet est mûr, le financement bancaire est en bonne voie.",
        "Point téléphonique : le porteur élargit sa recherche aux quartiers voisins.",
    ],
    ExchangeKind.MEETING: [
        "Rendez-vous en mairie : présentation du dispositif et des aides à l’installation.",
    ],
    ExchangeKind.VISIT: [
        "Visite du local avec l’agence : la surface convient, la vitrine est à refaire.",
    ],
    ExchangeKind.EMAIL: ["Envoi de la liste des locaux vacants du centre-ville."],
}
UNDER_WAY = [
    DemandStatus.QUALIFIED,
    DemandStatus.SEARCHING,
    DemandStatus.PROPOSALS,
    DemandStatus.VISIT,
]
KINDS = [ExchangeKind.CALL, ExchangeKind.MEETING, ExchangeKind.VISIT, ExchangeKind.EMAIL]


def log_some(seed, user, count=6):
    """Log `count` exchanges on the town's demands under way, by `user`."""
    rng = random.Random(seed + 13)
    demands = Demand.objects.not_erased().filter(status__in=UNDER_WAY).order_by("pk")[:count]
    members = NetworkMember.objects.active().select_related("partner")
    partners = [member.partner for member in members]
    now = timezone.now()
    for index, demand in enumerate(demands):
        kind = KINDS[index % len(KINDS)]
        day = timezone.localtime(now - timedelta(days=rng.randint(1, 20)))
        happened_at = day.replace(
            hour=rng.choice([9, 10, 14, 16]), minute=rng.choice([0, 15, 30]), second=0
        ).replace(microsecond=0)
        exchange = Exchange(
            demand=demand,
            kind=kind,
            happened_at=happened_at,
            duration_minutes=None if kind == ExchangeKind.EMAIL else rng.choice([15, 30, 45, 60]),
            others="" if kind == ExchangeKind.EMAIL else "Le porteur",
            summary=rng.choice(SUMMARIES[kind]),
            created_by=user,
        )
        with_partner = [rng.choice(partners)] if partners and kind == ExchangeKind.VISIT else []
        exchange.save_with_event(user=user, team_members=[user], partners=with_partner)
        # The history line dates from the exchange, as if it had been logged that day.
        DemandEvent.objects.filter(pk=exchange.event_id).update(created_at=happened_at)
    return len(demands)
