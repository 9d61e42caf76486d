"""Proposals' workflows, each in one transaction under a lock on the demand: the team or
a partner proposes a premises (to one demand, or to a premises' best demands), the porteur
says a premises interests them, the porteur answers a proposal. Each one goes on the
demand's timeline, moves its pipeline and tells whoever is concerned (notifications)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tenant_apps.demands.enums import DemandStatus, EventKind
from tenant_apps.demands.models import Demand
from tenant_apps.demands.services import demand_email_context
from tenant_apps.mailing.services import queue_email
from tenant_apps.premises.matching import best_demands_for
from tenant_apps.premises.models import actor_name
from tenant_apps.proposals import notifications
from tenant_apps.proposals.enums import Answer, Origin
from tenant_apps.proposals.models import Proposal

# A first proposal moves the demand on to « Proposition(s) » from these statuses.
BEFORE_PROPOSALS = [DemandStatus.NEW, DemandStatus.QUALIFIED, DemandStatus.SEARCHING]
# An interested porteur moves it on to « Visite » from these (a new demand waits for the
# team to qualify it).
BEFORE_VISIT = [DemandStatus.QUALIFIED, DemandStatus.SEARCHING, DemandStatus.PROPOSALS]
# How many demands "propose to the best N" may reach at once.
MAX_BEST = 20


class NotProposable(Exception):
    """A proposal that cannot be made; the message is for people."""


class AlreadyProposed(NotProposable):
    pass


def describe(premises):
    """The premises in a line of the timeline: « Boutique de 60 m², 12 rue X »."""
    return f"{premises.get_kind_display()} de {premises.surface} m², {premises.address}"


def locked(demand):
    return (
        Demand.objects.select_for_update(of=("self",)).select_related("applicant").get(pk=demand.pk)
    )


@transaction.atomic
def propose(demand, premises, *, by=None, partner=None, message=""):
    """Put `premises` to `demand`, by the town's team (`by`) or the partner that manages
    it (`partner`, `by` its member). The porteur hears of it in the day's email."""
    demand = locked(demand)
    if not demand.is_open or demand.erased_at:
        raise NotProposable(f"La demande {demand.reference} n’est plus en cours.")
    if not premises.is_available:
        raise NotProposable(f"Le local {premises.address} n’est plus disponible.")
    proposal, created = Proposal.objects.get_or_create(
        demand=demand,
        premises=premises,
        defaults={
            "origin": Origin.PARTNER if partner else Origin.TEAM,
            "proposed_by": by,
            "partner": partner,
            "message": message,
        },
    )
    if not created:
        raise AlreadyProposed(f"Ce local a déjà été proposé à la demande {demand.reference}.")
    # On the timeline: the team member, or the partner's member and organisation.
    who = {"user": by} if by and not partner else {"actor": actor_name(by, partner) or "équipe"}
    demand.record(EventKind.PROPOSED, describe(premises), **who)
    if demand.status in BEFORE_PROPOSALS:
        demand.transition_to(DemandStatus.PROPOSALS, check=False, **who)
    return proposal


@transaction.atomic
def propose_to_best(premises, count, *, by=None, partner=None, message="", among=None):
    """Propose `premises` to its best `count` open demands it was not proposed to yet
    (only those of `among`, a queryset, when given: what a partner may see). Returns the
    proposals made, best match first."""
    count = min(count, MAX_BEST)
    already = set(premises.proposals.values_list("demand_id", flat=True))
    candidates = [
        demand
        for demand, _ in best_demands_for(premises, limit=count + len(already) + 100)
        if demand.pk not in already and not demand.erased_at
    ]
    if among is not None:
        allowed = set(among.filter(pk__in=[d.pk for d in candidates]).values_list("pk", flat=True))
        candidates = [demand for demand in candidates if demand.pk in allowed]
    made = []
    for demand in candidates:
        if len(made) == count:
            break
        try:
            made.append(propose(demand, premises, by=by, partner=partner, message=message))
        except NotProposable:
            continue  # proposed by someone else, or closed, in the meantime
    return made


def wake_up(demand):
    """A porteur who speaks up again is still searching: a sleeping demand wakes."""
    if demand.status == DemandStatus.DORMANT:
        demand.transition_to(DemandStatus.SEARCHING, actor="porteur", check=False)
    demand.applicant_seen_at = timezone.now()
    demand.save(update_fields=["applicant_seen_at", "updated_at"])
    demand.refresh_priority()


def visit_to_arrange(demand):
    if demand.status in BEFORE_VISIT:
        demand.transition_to(DemandStatus.VISIT, actor="porteur", check=False)


@transaction.atomic
def express_interest(demand, premises):
    """« Ce local m'intéresse » from the catalogue: the porteur asks for `premises`. A
    premises already proposed to them counts as an « Intéressé » answer. Returns the
    proposal and whether anything changed."""
    demand = locked(demand)
    if not demand.is_alive or demand.erased_at:
        raise NotProposable("Votre demande est close.")
    if not premises.is_available:
        raise NotProposable("Ce local n’est plus disponible.")
    proposal, created = Proposal.objects.get_or_create(
        demand=demand,
        premises=premises,
        defaults={
            "origin": Origin.INTEREST,
            "answer": Answer.INTERESTED,
            "answered_at": timezone.now(),
        },
    )
    if not created:
        if proposal.answer == Answer.INTERESTED:
            return proposal, False
        return proposal, answer_proposal(proposal, Answer.INTERESTED)
    wake_up(demand)
    demand.record(EventKind.INTERESTED, describe(premises))
    visit_to_arrange(demand)
    notifications.tell_concerned(proposal)
    return proposal, True


@transaction.atomic
def answer_proposal(proposal, answer, **details):
    """The porteur's answer to a proposal: « Intéressé » (`visit_availability`,
    `visit_attendees`) or « Pas pour moi » (`reason`, `comment`). The same answer twice
    changes nothing; a new one is recorded and told. Returns True if recorded."""
    demand = locked(proposal.demand)
    if not demand.is_alive or demand.erased_at:
        raise NotProposable("Votre demande est close.")
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("premises", "partner", "proposed_by")
        .get(pk=proposal.pk)
    )
    if not proposal.record_answer(answer, **details):
        return False
    proposal.demand = demand
    wake_up(demand)
    demand.record(
        EventKind.PROPOSAL_ANSWERED, f"{describe(proposal.premises)} : {proposal.answer_label}"
    )
    if answer == Answer.INTERESTED:
        visit_to_arrange(demand)
    elif demand.status == DemandStatus.PROPOSALS and not demand.proposals.still_in_play().exists():
        # Every premises put to the porteur was turned down: back to searching.
        demand.transition_to(DemandStatus.SEARCHING, actor="porteur", check=False)
    notifications.tell_concerned(proposal)
    return True


def send_interest_links(town, email, premises):
    """« Ce local m'intéresse » by email: the porteur of each live demand of this address
    gets a link to confirm their interest in `premises` (nothing is recorded until they
    do). Says nothing about whether the address is known."""
    demands = Demand.objects.not_erased().filter(applicant__email__iexact=email.strip())
    sent = 0
    for demand in demands.select_related("applicant"):
        if not demand.is_alive:
            continue
        path = reverse("proposals:interest", args=[demand.followup_token(), premises.pk])
        queue_email(
            f"demand:{demand.pk}:interest-link:{premises.pk}:{timezone.now().timestamp():.6f}",
            demand.applicant.email,
            "proposals/emails/interest_link.txt",
            demand_email_context(town, demand, premises=premises, confirm_url=town.url(path)),
        )
        sent += 1
    return sent
