"""What the team and the managing partner hear when a porteur says a premises interests
them or answers a proposal. The partner's emails go through the town's outbox from here,
keyed under the demand (an erasure empties them) and by the answer's moment (the same
answer is told once); the team's are notifications (tenant_apps.notifications.sources,
which asks staff_to_tell who they are)."""

from django.urls import reverse

from tenant_apps.demands.services import team_to_notify
from tenant_apps.mailing.services import queue_email
from tenant_apps.network.models import NetworkMember
from tenant_apps.proposals.enums import Answer, Origin
from tenants.models import Territory


def staff_to_tell(proposal, town):
    """The team member who proposed it and the one who follows the demand; the whole
    team (admins and agents) when neither is (still) there."""
    team = list(team_to_notify(town))
    wanted = {proposal.demand.assignee_id}
    if proposal.origin == Origin.TEAM:
        wanted.add(proposal.proposed_by_id)
    chosen = [member.user for member in team if member.user_id in wanted]
    return chosen or [member.user for member in team]


def partner_to_tell(proposal):
    """The partner that manages the premises, when it proposed it or when the porteur wants
    to visit it, and while it is in the town's network."""
    partner = proposal.premises.managing_partner
    if partner is None:
        return None
    if proposal.origin != Origin.PARTNER and proposal.answer != Answer.INTERESTED:
        return None
    if not NetworkMember.objects.active().filter(partner=partner).exists():
        return None
    return partner


def tell_concerned(proposal):
    """The porteur's interest or answer, to the managing partner when concerned."""
    town = Territory.objects.current()
    demand = proposal.demand
    key = f"demand:{demand.pk}:proposal:{proposal.pk}:{proposal.answered_at.timestamp():.6f}"
    context = {
        "territory": town,
        "demand": demand,
        "proposal": proposal,
        "premises": proposal.premises,
        "url": town.url(reverse("backoffice:demand", args=[demand.reference])),
    }
    # The team hears it through the notifications app (the timeline's event), in the app
    # and, for who chose it, by the email news_team.txt: once, not here as well.
    partner = partner_to_tell(proposal)
    if partner is not None:
        context["url"] = town.url(reverse("proposals_portal:premises", args=[proposal.premises_id]))
        for number, email in enumerate(partner.recipients):
            queue_email(
                f"{key}:partner:{number}", email, "proposals/emails/news_partner.txt", context
            )
