"""The notifications' part of the demo: a few unread notifications for the town's
developer (Draguignan's dev-eco), as the demo's own answers, interests and news would have
left them, and one already read. Run inside the town's schema; a second run adds nothing
(keys)."""

from datetime import timedelta

from django.utils import timezone

from tenant_apps.demands.models import Demand
from tenant_apps.network.enums import Answer as AlertAnswer
from tenant_apps.network.models import Alert
from tenant_apps.notifications.enums import NotificationKind
from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.sources import about, demand_url
from tenant_apps.proposals.enums import Answer
from tenant_apps.proposals.models import Proposal
from tenant_apps.proposals.services import describe


def notify_some(user):
    """Returns how many notifications were written."""
    now = timezone.now()
    rows = []

    def add(kind, demand, text, hours_ago, read=False):
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                text=text,
                url=demand_url(demand),
                key=f"demo:{user.pk}:{kind}:{demand.pk}",
                created_at=now - timedelta(hours=hours_ago),
                read_at=now - timedelta(hours=hours_ago - 1) if read else None,
            )
        )

    interest = (
        Proposal.objects.filter(answer=Answer.INTERESTED, demand__erased_at__isnull=True)
        .select_related("demand", "premises")
        .order_by("-answered_at")
        .first()
    )
    if interest:
        said = "le porteur a répondu à une proposition"
        detail = f"{describe(interest.premises)} : Intéressé"
        add(
            NotificationKind.PORTEUR_ANSWER,
            interest.demand,
            about(interest.demand, said, detail),
            2,
        )
    maybe = (
        Alert.objects.filter(answer=AlertAnswer.MAYBE, demand__erased_at__isnull=True)
        .select_related("demand", "partner")
        .order_by("-answered_at")
        .first()
    )
    if maybe:
        said = f"{maybe.partner.name} a peut-être un local"
        add(NotificationKind.PARTNER_ANSWER, maybe.demand, about(maybe.demand, said), 5)
    recent = list(Demand.objects.not_erased().open().order_by("-created_at")[:3])
    if len(recent) == 3:
        add(
            NotificationKind.EMAIL_REPLY,
            recent[0],
            about(recent[0], "le porteur a répondu par courriel"),
            20,
        )
        add(
            NotificationKind.PORTEUR_ANSWER,
            recent[1],
            about(recent[1], "le porteur a mis à jour ses besoins"),
            26,
        )
        add(
            NotificationKind.ASSIGNMENT,
            recent[2],
            f"Demande attribuée {recent[2].reference} ({recent[2].activity})",
            50,
            read=True,
        )
    return len(Notification.objects.bulk_create(rows, ignore_conflicts=True))
