"""Tasks in other apps' flows: each person's tasks due in the team's daily digest, and a
porteur's erasure taking the titles of their demand's tasks along (they may name them)."""

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


def demand_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.erased_at is None:
        return
    from tenant_apps.tasks.models import Task

    Task.objects.filter(demand=instance).exclude(title=ERASED_TITLE).update(title=ERASED_TITLE)


def connect():
    from tenant_apps.demands.models import Demand
    from tenant_apps.demands.signals import team_digest

    team_digest.connect(digest_part, dispatch_uid="tasks.digest")
    post_save.connect(demand_saved, sender=Demand, dispatch_uid="tasks.demand_erased")
