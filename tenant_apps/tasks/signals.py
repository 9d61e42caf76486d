"""Tasks in other apps' flows: each person's tasks due in the team's daily digest, their
overdue tasks in their notifications, and a porteur's erasure taking the titles of their
demand's tasks along (they may name them)."""

from django.db.models.signals import post_save
from django.template.loader import render_to_string

ERASED_TITLE = "(effacé)"


def digest_part(sender, territory, user_ids, today, **kwargs):
    from tenant_apps.tasks.services import digest_tasks

    parts = {}
    for user_id, tasks in digest_tasks(user_ids, today).items():
        for task in tasks["overdue"] + tasks["today"]:
            task.link = territory.url(task.path())
        parts[user_id] = render_to_string(
            "tasks/emails/digest_part.txt",
            {**tasks, "my_tasks_url": territory.url("/gestion/taches/")},
        ).strip()
    return parts


def notify_overdue(sender, today, **kwargs):
    """One notification per overdue task and due date, to its assignee if still in the team
    (the key makes the next days' rounds quiet until the due date moves)."""
    from django.db import connection

    from shared_apps.accounts.models import Membership
    from tenant_apps.notifications.enums import NotificationKind
    from tenant_apps.notifications.services import notify
    from tenant_apps.tasks.services import overdue_tasks

    team = Membership.objects.active().filter(
        territory__schema_name=connection.schema_name, user__is_active=True
    )
    for task in overdue_tasks(today).filter(assignee__in=team.values("user")):
        notify(
            task.assignee,
            NotificationKind.OVERDUE_TASK,
            f"Tâche en retard depuis le {task.due_on:%d/%m/%Y} : {task.title} — {task.subject}",
            task.path(),
            key=f"task:{task.pk}:overdue:{task.due_on.isoformat()}",
        )


def demand_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.erased_at is None:
        return
    from tenant_apps.tasks.models import Task

    Task.objects.filter(demand=instance).exclude(title=ERASED_TITLE).update(title=ERASED_TITLE)


def connect():
    from tenant_apps.demands.models import Demand
    from tenant_apps.demands.signals import team_digest
    from tenant_apps.notifications.signals import daily_round

    team_digest.connect(digest_part, dispatch_uid="tasks.digest")
    daily_round.connect(notify_overdue, dispatch_uid="tasks.overdue")
    post_save.connect(demand_saved, sender=Demand, dispatch_uid="tasks.demand_erased")
