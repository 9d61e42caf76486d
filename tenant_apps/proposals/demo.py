"""The proposals' part of the demo: the demands at « Proposition(s) » or « Visite » have the
premises put to them (their best matches), answered as their status says; a few demands
back « En recherche » turned one down. Run inside a town's schema, with its own random
draws (the rest of the demo stays as it was)."""

import random
from datetime import timedelta

from tenant_apps.demands.enums import DemandStatus, EventKind
from tenant_apps.demands.models import Demand, DemandEvent
from tenant_apps.premises.models import Match, Premises
from tenant_apps.proposals.enums import Answer, Origin, RefusalReason
from tenant_apps.proposals.models import Proposal
from tenant_apps.proposals.services import describe

REASONS = list(RefusalReason)
REASON_WEIGHTS = [40, 20, 20, 12, 8]  # price, size, area, state, other
AVAILABILITIES = [
    "En semaine après 17 h.",
    "Le samedi matin.",
    "Mardi ou jeudi après-midi.",
    "Quand vous voulez, je suis disponible cette semaine.",
]
ATTENDEES = ["", "", "Moi et mon associée.", "Avec mon conseiller de la CCI."]


def answers_for(status, count, rng):
    """The answers to the premises put to a demand, best match first, as its status says."""
    if status == DemandStatus.VISIT:
        return [Answer.INTERESTED] + [Answer.DECLINED] * (count - 1)
    if status == DemandStatus.PROPOSALS:
        return [Answer.PENDING] + [
            rng.choice([Answer.PENDING, Answer.DECLINED]) for _ in range(count - 1)
        ]
    return [Answer.DECLINED]  # searching again after turning one down


def best_matches():
    """{demand id: [premises ids, best first]} from the stored matches."""
    best = {}
    for demand_id, premises_id in (
        Match.objects.current()
        .order_by("demand_id", "-score", "premises_id")
        .values_list("demand_id", "premises_id")
    ):
        best.setdefault(demand_id, []).append(premises_id)
    return best


def propose_some(seed):
    rng = random.Random(seed + 11)
    best = best_matches()
    places = Premises.objects.in_bulk({pk for ids in best.values() for pk in ids})
    demands = Demand.objects.filter(
        status__in=[DemandStatus.PROPOSALS, DemandStatus.VISIT, DemandStatus.SEARCHING],
        pk__in=list(best),
    ).order_by("pk")
    proposals, events = [], []
    for demand in demands:
        if demand.status == DemandStatus.SEARCHING and rng.random() > 0.25:
            continue
        chosen = [places[pk] for pk in best[demand.pk][: rng.randint(1, 3)]]
        days = max(0, min(10, (demand.status_changed_at - demand.created_at).days))
        proposed_at = demand.status_changed_at - timedelta(days=rng.randint(0, days))
        answers = answers_for(demand.status, len(chosen), rng)
        for premises, answer in zip(chosen, answers, strict=False):
            answered_at = None
            if answer:
                answered_at = min(
                    demand.status_changed_at, proposed_at + timedelta(hours=rng.randint(2, 72))
                )
            proposal = Proposal(
                demand=demand,
                premises=premises,
                origin=Origin.TEAM,
                created_at=proposed_at,
                # Announced long ago: the daily email has nothing to send for the demo.
                emailed_at=proposed_at + timedelta(hours=10),
                answer=answer,
                answered_at=answered_at,
            )
            if answer == Answer.INTERESTED:
                proposal.visit_availability = rng.choice(AVAILABILITIES)
                proposal.visit_attendees = rng.choice(ATTENDEES)
            if answer == Answer.DECLINED:
                proposal.reason = rng.choices(REASONS, REASON_WEIGHTS)[0]
            if premises.managing_partner_id and rng.random() < 0.5:
                proposal.origin, proposal.partner_id = Origin.PARTNER, premises.managing_partner_id
            if answer == Answer.INTERESTED and rng.random() < 0.3:
                # The porteur found it in the catalogue and said so.
                proposal.origin, proposal.partner_id = Origin.INTEREST, None
                proposal.created_at, proposal.emailed_at = answered_at, None
            proposals.append(proposal)
            events += timeline(proposal)
    Proposal.objects.bulk_create(proposals)
    DemandEvent.objects.bulk_create(events)
    return len(proposals)


def timeline(proposal):
    """The demand's history lines of a demo proposal."""
    demand, what = proposal.demand, describe(proposal.premises)
    if proposal.is_interest:
        return [
            DemandEvent(
                demand=demand,
                kind=EventKind.INTERESTED,
                message=what,
                actor="porteur",
                created_at=proposal.created_at,
            )
        ]
    events = [
        DemandEvent(
            demand=demand,
            kind=EventKind.PROPOSED,
            message=what,
            actor="équipe",
            created_at=proposal.created_at,
        )
    ]
    if proposal.answer:
        events.append(
            DemandEvent(
                demand=demand,
                kind=EventKind.PROPOSAL_ANSWERED,
                message=f"{what} : {proposal.answer_label}",
                actor="porteur",
                created_at=proposal.answered_at,
            )
        )
    return events
