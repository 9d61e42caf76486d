"""What other parts ask of tasks: the overdue ones (for notifications), the « Mes tâches »
groups, and each person's part of the team's daily digest."""

from dataclasses import dataclass, field
from datetime import timedelta

from tenant_apps.tasks.models import Task


def overdue_tasks(today):
    """Open tasks whose due date is before `today` (a date in the town's time zone), with
    their demand or premises and their assignee, oldest due first."""
    return Task.objects.overdue(today).with_subject().order_by("due_on", "pk")


@dataclass
class Group:
    key: str
    label: str
    tasks: list = field(default_factory=list)


def end_of_week(today):
    """The Sunday of `today`'s week (`today` itself on a Sunday)."""
    return today + timedelta(days=6 - today.weekday())


def group_open_tasks(tasks, today):
    """Open tasks in the order people deal with them: overdue, today, the rest of this
    week (until Sunday), later. Every group is returned, empty or not."""
    groups = {
        "overdue": Group("overdue", "En retard"),
        "today": Group("today", "Aujourd’hui"),
        "week": Group("week", "Cette semaine"),
        "later": Group("later", "Plus tard"),
    }
    sunday = end_of_week(today)
    for task in tasks:
        if task.due_on < today:
            key = "overdue"
        elif task.due_on == today:
            key = "today"
        elif task.due_on <= sunday:
            key = "week"
        else:
            key = "later"
        groups[key].tasks.append(task)
    return list(groups.values())


def digest_tasks(user_ids, today):
    """{user id: {"overdue": [...], "today": [...]}} for the team's daily digest: each
    person's open tasks due today or before."""
    found = {}
    tasks = (
        Task.objects.due_by(today)
        .filter(assignee_id__in=user_ids)
        .with_subject()
        .order_by("due_on", "pk")
    )
    for task in tasks:
        mine = found.setdefault(task.assignee_id, {"overdue": [], "today": []})
        mine["overdue" if task.due_on < today else "today"].append(task)
    return found
