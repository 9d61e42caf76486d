"""How views reach a trial: through these helpers only (the schema is the town's; the
view's decorator has checked the user's membership and role)."""

from django.shortcuts import get_object_or_404

from tenant_apps.trials.models import Milestone, Trial


def trial_for(request, pk):
    return get_object_or_404(Trial.objects.with_everything(), pk=pk)


def milestone_for(trial, pk):
    return get_object_or_404(Milestone.objects.select_related("task"), trial=trial, pk=pk)
