"""The trials' pieces on other apps' pages: {% load trials %}{% call_trials call can_edit %}
on the call's back-office page, {% calls_dashboard %} on the dashboard and its PDF (the
calls and impact apps need no import of this one)."""

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


@register.inclusion_tag("trials/dashboard_section.html")
def calls_dashboard():
    """Each call's figures and what became of the trials (trials.figures)."""
    from tenant_apps.trials.figures import call_rows, trial_figures

    return {"rows": call_rows(), "trials": trial_figures()}
