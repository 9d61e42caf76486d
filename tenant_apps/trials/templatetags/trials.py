"""The trials' part of the call's back-office page: {% load trials %}{% call_trials call can_edit %}
(the calls app needs no import of this one)."""

from django import template

from tenant_apps.calls.enums import Decision

register = template.Library()


@register.inclusion_tag("trials/call_trials.html")
def call_trials(call, can_edit):
    """The call's trials, and whether a selected application still waits for its trial."""
    return {
        "call": call,
        "trials": list(call.trials.select_related("application")),
        "can_start": can_edit
        and call.applications.filter(decision=Decision.SELECTED, trial__isnull=True).exists(),
    }
