"""How the back-office reaches a task: through this helper only."""

from django.shortcuts import get_object_or_404

from tenant_apps.tasks.models import Task


def task_for(request, pk):
    """The task `pk` of the current town (the schema is the town's); the view's decorator
    has already checked the user's membership and role."""
    return get_object_or_404(Task.objects.with_subject(), pk=pk)
