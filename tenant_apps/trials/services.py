"""Starting a trial: its row, its milestones as the team's tasks, and the premises let to
the porteur, all or nothing."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tenant_apps.calls.enums import CallKind, Decision
from tenant_apps.premises.enums import PremisesState
from tenant_apps.tasks.models import Task
from tenant_apps.trials.enums import MILESTONE_MONTHS
from tenant_apps.trials.models import Milestone, Trial, add_months

ALREADY = "Cette candidature a déjà son essai."
NOT_SELECTED = "Seule une candidature retenue peut commencer un essai."


def first_of_next_month(day):
    return add_months(day.replace(day=1), 1)


def default_dates(call, today=None):
    """A pop-up's own dates; otherwise from the first of next month (a lease starts on a
    month's first day) for the call's trial length."""
    if call.kind == CallKind.POP_UP:
        return call.starts_on, call.ends_on
    starts_on = first_of_next_month(today or timezone.localdate())
    return starts_on, ends_for(call, starts_on)


def ends_for(call, starts_on):
    return add_months(starts_on, call.trial_months) - timedelta(days=1)


@transaction.atomic
def start_trial(application, *, by=None, starts_on=None, assignee=None):
    """The trial of a selected application (once: a second call returns the first trial).
    Its milestones are tasks on the porteur's demand when they applied from it, on the
    premises otherwise; they go to `assignee`, or the call's author."""
    existing = Trial.objects.filter(application=application).first()
    if existing is not None:
        return existing
    if application.decision != Decision.SELECTED:
        raise ValidationError(NOT_SELECTED)
    call = application.call
    if starts_on is None:
        starts_on, ends_on = default_dates(call)
    elif call.kind == CallKind.POP_UP:
        ends_on = max(starts_on, call.ends_on)
    else:
        ends_on = ends_for(call, starts_on)
    trial = Trial.objects.create(
        application=application,
        call=call,
        premises=call.premises,
        starts_on=starts_on,
        ends_on=ends_on,
        rent_schedule=list(call.rent_schedule),
        assignee=assignee or call.created_by,
        created_by=by,
    )
    demand = application.demand
    on_demand = demand is not None and demand.erased_at is None
    for months in MILESTONE_MONTHS:
        milestone = Milestone(trial=trial, months=months)
        task = Task(
            demand=demand if on_demand else None,
            premises=None if on_demand else call.premises,
            title=f"Boutique à l’essai — {milestone.label.lower()}",
            assignee=trial.assignee,
            due_on=milestone.due_on,
        )
        milestone.task = task.add(by=by)
        milestone.save()
    # Several places of a shared shop: the premises is let from the first trial on.
    call.premises.change_state(
        PremisesState.LET,
        user=by,
        note=f"Boutique à l’essai « {call.title} » du {starts_on:%d/%m/%Y} au {ends_on:%d/%m/%Y}",
    )
    return trial
