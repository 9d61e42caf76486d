"""Periodic jobs that keep a town's stock of demands alive (run in the town's schema).

Each step of a demand's life is reminded once: a Reminder row (unique per demand, kind
and cycle) or an outbox key is written before the email, in the same transaction, so a
job that runs twice, or is retried, sends nothing more."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from shared_apps.accounts.enums import Role
from tenant_apps.demands.enums import CLOSED_STATUSES, DemandStatus, EventKind
from tenant_apps.demands.models import Demand, Reminder
from tenant_apps.demands.services import demand_email_context, team_to_notify
from tenant_apps.demands.signals import team_digest
from tenant_apps.mailing.services import queue_email
from tenant_apps.townsite.models import TownSettings
from tenants.models import Territory

ASK = "ask_still_searching"
ASKED_STATUSES = [
    DemandStatus.QUALIFIED,
    DemandStatus.SEARCHING,
    DemandStatus.PROPOSALS,
    DemandStatus.VISIT,
]


def keep_stock_alive():
    """The daily round: ask, put to sleep, remind the team."""
    town_settings = TownSettings.load()
    territory = Territory.objects.current()
    now = timezone.now()
    Demand.objects.not_erased().refresh_priority()  # ages move on every day
    return {
        "asked": ask_still_searching(territory, town_settings, now),
        "dormant": put_to_sleep(town_settings, now),
        "digests": remind_team(territory, town_settings, now),
        "erased": erase_expired(town_settings, now),
    }


def erase_expired(town_settings, now):
    """Closed or sleeping demands untouched for the retention period are anonymised."""
    limit = now - timedelta(days=round(town_settings.retention_months * 30.44))
    expired = Demand.objects.not_erased().filter(
        updated_at__lt=limit, status__in=[*CLOSED_STATUSES, DemandStatus.DORMANT]
    )
    erased = 0
    for demand in expired.select_related("applicant"):
        demand.erase()
        erased += 1
    return erased


def last_news(demand):
    return demand.applicant_seen_at or demand.created_at


def ask_still_searching(territory, town_settings, now):
    """Porteurs without news for N days get one email asking them to confirm in one click."""
    silent_since = now - timedelta(days=town_settings.ask_still_searching_after_days)
    demands = (
        Demand.objects.not_erased()
        .filter(status__in=ASKED_STATUSES)
        .annotate(news=Coalesce("applicant_seen_at", "created_at"))
        .filter(news__lt=silent_since)
        .select_related("applicant")
    )
    asked = 0
    for demand in demands:
        cycle = last_news(demand).isoformat()
        try:
            with transaction.atomic():
                Reminder.objects.create(demand=demand, kind=ASK, cycle=cycle)
                event = demand.record(EventKind.ASKED_STILL_SEARCHING, actor="système")
                queue_email(
                    f"demand:{demand.pk}:event:{event.pk}:ask",
                    demand.applicant.email,
                    "demands/emails/still_searching.txt",
                    demand_email_context(
                        territory,
                        demand,
                        yes_url=territory.url(demand.followup_path() + "toujours/"),
                    ),
                )
        except IntegrityError:
            continue  # already asked for this silence: never twice
        asked += 1
    return asked


def put_to_sleep(town_settings, now):
    """Asked M days ago, no answer since: the demand leaves the active inbox."""
    deadline = now - timedelta(days=town_settings.dormant_after_days)
    demands = (
        Demand.objects.not_erased()
        .filter(status__in=ASKED_STATUSES)
        .filter(reminders__kind=ASK, reminders__created_at__lt=deadline)
        .distinct()
    )
    slept = 0
    for demand in demands:
        with transaction.atomic():
            demand = Demand.objects.select_for_update().get(pk=demand.pk)
            reminder = demand.reminders.filter(kind=ASK).order_by("-created_at").first()
            if (
                demand.status not in ASKED_STATUSES
                or reminder.cycle != last_news(demand).isoformat()
            ):
                continue  # the porteur answered since
            demand.transition_to(DemandStatus.DORMANT, actor="système", check=False)
            demand.record(EventKind.FELL_DORMANT, actor="système", visible_to_applicant=False)
            slept += 1
    return slept


def remind_team(territory, town_settings, now):
    """One digest a day per team member: their demands whose next action is due, new
    demands nobody has handled in time (to the admins when unassigned), and what other
    apps add through `team_digest` (their tasks due)."""
    today = timezone.localdate(now)
    due = list(
        Demand.objects.needing_action(town_settings, today=today)
        .select_related("assignee")
        .order_by("created_at")
    )
    members = list(team_to_notify(territory))
    users = {m.user_id: m.user for m in members}
    admins = [m.user_id for m in members if m.role == Role.ADMIN]
    per_user = {}
    for demand in due:
        recipients = [demand.assignee_id] if demand.assignee_id in users else admins
        for user_id in recipients:
            per_user.setdefault(user_id, []).append(demand)
    extras = {}
    for _, parts in team_digest.send(
        sender=remind_team, territory=territory, user_ids=list(users), today=today
    ):
        for user_id, text in parts.items():
            if user_id in users:
                extras.setdefault(user_id, []).append(text)
    recipients = [pk for pk in users if pk in per_user or pk in extras]
    for user_id in recipients:
        user = users[user_id]
        with transaction.atomic():
            queue_email(
                f"digest:{user.pk}:{today.isoformat()}",
                user.email,
                "demands/emails/team_digest.txt",
                {
                    "territory": territory,
                    "user": user,
                    "demands": per_user.get(user_id, []),
                    "extras": extras.get(user_id, []),
                    "inbox_url": territory.url("/gestion/?needs_action=on"),
                    "base_url": territory.url("/gestion/demandes/"),
                },
            )
    return len(recipients)
