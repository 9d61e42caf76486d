"""The calls' pieces on other apps' pages: {% load calls %}{% open_call premises %} on a
premises' catalogue page, {% followup_calls demand token %} on the porteur's follow-up
page (the premises and demands apps need no import of this one)."""

from django import template

from tenant_apps.calls.models import Application, Call

register = template.Library()


@register.inclusion_tag("calls/open_call_notice.html")
def open_call(premises):
    """The premises' open call, if it has one: a notice that leads to it."""
    call = Call.objects.open().filter(premises=premises).order_by("deadline").first()
    return {"call": call}


@register.inclusion_tag("calls/followup_calls.html")
def followup_calls(demand, token):
    """The porteur's applications and where each stands (with the trial's dates once
    selected), and, while the demand is alive, the open calls they have not applied to."""
    applications = list(
        Application.objects.filter(demand=demand)
        .select_related("call", "call__premises", "trial")
        .order_by("-created_at")
    )
    calls = []
    if demand.is_alive and not demand.erased_at:
        calls = list(
            Call.objects.open()
            .exclude(pk__in=[application.call_id for application in applications])
            .select_related("premises")
            .order_by("deadline")
        )
    return {"demand": demand, "token": token, "applications": applications, "calls": calls}
