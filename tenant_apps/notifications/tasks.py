"""The notifications' daily round, in each town (cron: every morning at 7:40, before the
team's morning round): whatever became due today is notified.

Other apps plug into it without this app knowing them: they connect a receiver to
`signals.daily_round` that calls `services.notify()` with a key unique to what it tells,
so that a second run of the day (or of the next day) notifies nothing twice. Overdue tasks,
once the tasks app is there, in its own module (e.g. tenant_apps/tasks/signals.py):

    @receiver(daily_round)
    def overdue(sender, today, **kwargs):
        for task in overdue_tasks(today):
            notify(
                task.assignee,
                NotificationKind.OVERDUE_TASK,
                f"Tâche en retard depuis le {task.due_on:%d/%m/%Y} : {task.title}",
                task.backoffice_url,  # a /gestion/… path
                key=f"task:{task.pk}:overdue:{task.due_on.isoformat()}",
            )
"""

import logging

from django.utils import timezone

from tenant_apps.notifications.signals import daily_round

logger = logging.getLogger(__name__)


def daily(today=None):
    """Run every daily source; one that fails does not keep the others from running.
    Returns how many sources ran without error."""
    today = today or timezone.localdate()
    ran = 0
    for receiver, result in daily_round.send_robust(sender=None, today=today):
        if isinstance(result, Exception):
            logger.error("Notifications du jour : %s en échec", receiver, exc_info=result)
        else:
            ran += 1
    return ran
