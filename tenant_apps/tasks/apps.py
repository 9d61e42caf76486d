"""App configuration for the team's tasks (« tâches »: to-dos on a demand or a premises).
Not to be confused with the apps' `tasks.py` modules, which hold background jobs."""

from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tenant_apps.tasks"
    label = "tasks"
    verbose_name = "tâches"

    def ready(self):
        from tenant_apps.tasks import signals

        signals.connect()
