"""The calls' pieces on other apps' pages: {% load calls %}{% open_call premises %} on a
premises' catalogue page (the premises app needs no import of this one)."""

from django import template

from tenant_apps.calls.models import Call

register = template.Library()


@register.inclusion_tag("calls/open_call_notice.html")
def open_call(premises):
    """The premises' open call, if it has one: a notice that leads to it."""
    call = Call.objects.open().filter(premises=premises).order_by("deadline").first()
    return {"call": call}
