"""From a demand's timeline to the team's notifications: which events are told, to whom,
in what words.

Who hears of a demand's news: the person who follows it (its assignee). When nobody
follows it, or when its assignee left the team, the town's editors (admins and agents)
do: news nobody hears is how demands piled up into a dead stock; read-only members cannot
act on it. The emails that told the team of proposals' and partners' answers before the
bell went to the same people; they are now these notifications' emails, sent only to
those who keep that kind by email. Nobody is told of what they did themselves.

Texts name the demand by its reference and activity, never the porteur: a notification
outlives an erasure of the porteur's data."""

from django.urls import reverse

from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.services import team_to_notify
from tenant_apps.network.enums import Answer as AlertAnswer
from tenant_apps.network.models import Alert
from tenant_apps.notifications.enums import NotificationKind
from tenant_apps.notifications.services import Draft
from tenant_apps.proposals.models import Proposal
from tenant_apps.proposals.notifications import staff_to_tell
from tenants.models import Territory

PORTEUR_NEWS = {
    EventKind.UPDATED: "le porteur a mis à jour ses besoins",
    EventKind.STILL_SEARCHING: "le porteur confirme chercher toujours",
    EventKind.CLOSED: "le porteur a clos sa demande",
    EventKind.REOPENED: "le porteur a rouvert sa demande",
}


def demand_url(demand):
    return reverse("backoffice:demand", args=[demand.reference])


def about(demand, what, detail=""):
    text = f"{demand.reference} ({demand.activity}) : {what}"
    return f"{text} — {detail}" if detail else text


def drafts(event, users, kind, text, **email):
    """One draft per user, the event's author left out."""
    demand = event.demand
    return [
        Draft(
            user=user,
            kind=kind,
            text=text,
            url=demand_url(demand),
            key=f"event:{event.pk}:{user.pk}",
            email_key=f"demand:{demand.pk}:event:{event.pk}:notification:{user.pk}",
            **email,
        )
        for user in users
        if user.pk != event.user_id
    ]


def followers(demand):
    """The demand's assignee if still an editor of the town, else every editor."""
    team = [membership.user for membership in team_to_notify(Territory.objects.current())]
    return [user for user in team if user.pk == demand.assignee_id] or team


def assigned(event):
    demand = event.demand
    if demand.assignee is None:
        return []
    by = f"{event.actor} vous a attribué la demande" if event.user_id else "Demande attribuée"
    text = f"{by} {demand.reference} ({demand.activity})"
    return drafts(event, [demand.assignee], NotificationKind.ASSIGNMENT, text)


def porteur_news(event):
    detail = event.message if event.kind == EventKind.CLOSED else ""
    text = about(event.demand, PORTEUR_NEWS[event.kind], detail)
    return drafts(event, followers(event.demand), NotificationKind.PORTEUR_ANSWER, text)


def proposal_answered(event):
    """The porteur's interest in a premises, or answer to one put to them: to whoever
    proposed it and whoever follows the demand, with the email that told them before."""
    demand = event.demand
    proposal = (
        Proposal.objects.filter(demand=demand, answered_at__isnull=False)
        .select_related("premises", "partner", "proposed_by")
        .order_by("-answered_at")
        .first()
    )
    if proposal is None:
        return []
    proposal.demand = demand
    town = Territory.objects.current()
    if event.kind == EventKind.INTERESTED:
        text = about(demand, "le porteur s’intéresse à un local", event.message)
    else:
        text = about(demand, "le porteur a répondu à une proposition", event.message)
    context = {
        "demand": demand,
        "proposal": proposal,
        "premises": proposal.premises,
        "url": town.url(demand_url(demand)),
    }
    return drafts(
        event,
        staff_to_tell(proposal, town),
        NotificationKind.PORTEUR_ANSWER,
        text,
        template="proposals/emails/news_team.txt",
        context=context,
    )


def partner_answered(event):
    """A partner may have premises for the demand (« Rien pour le moment » and « ne plus
    recevoir » call for nothing: they stay on the timeline)."""
    if event.message != AlertAnswer.MAYBE.label:
        return []
    demand = event.demand
    alert = (
        Alert.objects.filter(demand=demand, answer=AlertAnswer.MAYBE)
        .select_related("partner")
        .order_by("-answered_at")
        .first()
    )
    if alert is None:
        return []
    text = about(demand, f"{alert.partner.name} a peut-être un local")
    context = {
        "demand": demand,
        "partner": alert.partner,
        "url": Territory.objects.current().url(demand_url(demand)),
    }
    return drafts(
        event,
        followers(demand),
        NotificationKind.PARTNER_ANSWER,
        text,
        template="network/emails/positive_answer.txt",
        context=context,
    )


def partner_proposed(event):
    """A partner puts one of its premises to the demand (the team's own proposals carry
    their author, and are not news to the team)."""
    if event.user_id is not None or event.actor in ("", "équipe"):
        return []
    text = about(event.demand, f"{event.actor} propose un local", event.message)
    return drafts(event, followers(event.demand), NotificationKind.PARTNER_ANSWER, text)


def email_received(event):
    text = about(event.demand, "le porteur a répondu par courriel")
    return drafts(event, followers(event.demand), NotificationKind.EMAIL_REPLY, text)


SOURCES = {
    EventKind.ASSIGNED: assigned,
    **dict.fromkeys(PORTEUR_NEWS, porteur_news),
    EventKind.INTERESTED: proposal_answered,
    EventKind.PROPOSAL_ANSWERED: proposal_answered,
    EventKind.PARTNER_ANSWERED: partner_answered,
    EventKind.PROPOSED: partner_proposed,
    EventKind.EMAIL_RECEIVED: email_received,
}


def drafts_for(event):
    return SOURCES[event.kind](event)
