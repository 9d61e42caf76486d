"""The tasks' part of the demo: the economic developer's to-dos on demands under way and
one premises — one overdue, one today, some this week and later. Run inside a town's
schema, with its own random draws (the rest of the demo stays as it was)."""

from datetime import timedelta

from django.utils import timezone

from tenant_apps.demands.enums import OPEN_STATUSES
from tenant_apps.demands.models import Demand
from tenant_apps.premises.models import Premises
from tenant_apps.tasks.models import Task

ON_DEMANDS = [
    (-2, "Rappeler le porteur après sa visite"),
    (0, "Envoyer la liste des locaux du quartier"),
    (2, "Préparer le rendez-vous avec la CCI"),
    (12, "Faire le point sur le financement"),
]
ON_PREMISES = (4, "Relancer le propriétaire sur le loyer")


def plan_some(user):
    """Tasks for `user`, added as the back-office adds them (with their history line)."""
    today = timezone.localdate()
    demands = Demand.objects.not_erased().filter(status__in=OPEN_STATUSES).order_by("-pk")
    tasks = [
        Task(demand=demand, title=title, assignee=user, due_on=today + timedelta(days=days))
        for demand, (days, title) in zip(demands[: len(ON_DEMANDS)], ON_DEMANDS, strict=False)
    ]
    premises = Premises.objects.available().order_by("pk").first()
    if premises is not None:
        days, title = ON_PREMISES
        tasks.append(
            Task(premises=premises, title=title, assignee=user, due_on=today + timedelta(days=days))
        )
    for task in tasks:
        task.add(by=user)
    return len(tasks)
