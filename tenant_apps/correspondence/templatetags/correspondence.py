"""The demand page's correspondence sections, each computing its own context:
{% load correspondence %}{% demand_emails %} (the emails and replies) and
{% write_to_porteur %} (the form), with `demand` and `request` in the context."""

from django import template

from tenant_apps.correspondence.enums import PLACEHOLDERS
from tenant_apps.correspondence.forms import ComposeForm
from tenant_apps.correspondence.models import DemandEmail, EmailTemplate
from tenant_apps.correspondence.services import copy_candidates
from tenant_apps.demands.perms import can_see_contact

register = template.Library()


def delivery(outbound):
    """(label, DSFR badge kind, date) of an outbox row."""
    if outbound is None:
        return ("effacé", "info", None)
    if outbound.sent_at:
        return ("envoyé", "success", outbound.sent_at)
    if outbound.last_error:
        return ("erreur, nouvel essai automatique", "error", None)
    return ("en attente", "warning", None)


@register.inclusion_tag("correspondence/demand_emails.html", takes_context=True)
def demand_emails(context):
    demand, request = context["demand"], context["request"]
    emails = list(DemandEmail.objects.for_demand(demand))
    for email in emails:
        email.delivery = delivery(email.outbound) if not email.is_inbound else None
        email.partner_delivery = delivery(email.partner_outbound) if email.partner_id else None
    return {
        "demand": demand,
        "emails": emails,
        "show_contact": can_see_contact(getattr(request, "membership", None)),
    }


@register.inclusion_tag("correspondence/demand_write.html", takes_context=True)
def write_to_porteur(context):
    demand = context["demand"]
    return {
        "demand": demand,
        "request": context["request"],
        "form": ComposeForm(partners=copy_candidates(demand)),
        "templates": EmailTemplate.objects.all(),
        "placeholders": PLACEHOLDERS,
    }
