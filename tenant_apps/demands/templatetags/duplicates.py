"""The demand page's "Doublons probables" section:
{% load duplicates %}{% likely_duplicates demand %}."""

from django import template

from tenant_apps.demands.models import Demand
from tenant_apps.demands.perms import can_see_contact

register = template.Library()


@register.inclusion_tag("demands/duplicates_section.html", takes_context=True)
def likely_duplicates(context, demand):
    membership = context["request"].membership
    return {
        "demand": demand,
        "duplicates": Demand.objects.likely_duplicates_of(demand),
        "merged": Demand.all_objects.filter(merged_into=demand)
        .select_related("applicant")
        .order_by("created_at"),
        "can_edit": membership.can_edit,
        "show_contact": can_see_contact(membership),
    }
