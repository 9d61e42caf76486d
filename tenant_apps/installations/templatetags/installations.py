"""The installed business on the demand page: {% load installations %}
{% demand_business demand %} (at its placeholder in backoffice/demand_detail.html)."""

from django import template

from tenant_apps.demands.enums import DemandStatus
from tenant_apps.installations.forms import BusinessForm, initial_for
from tenant_apps.installations.models import Business

register = template.Library()


@register.inclusion_tag("installations/demand_section.html", takes_context=True)
def demand_business(context, demand):
    """The recorded business, or — the demand installed, none recorded yet — the form to
    record it, for those who may edit."""
    business = Business.objects.filter(demand=demand).select_related("premises").first()
    can_edit = context.get("can_edit", False)
    offer = business is None and demand.status == DemandStatus.INSTALLED
    return {
        "demand": demand,
        "business": business,
        "can_edit": can_edit,
        "offer": offer,
        "form": (
            BusinessForm(demand=demand, initial=initial_for(demand, None))
            if offer and can_edit
            else None
        ),
        "csrf_token": context.get("csrf_token"),
    }
