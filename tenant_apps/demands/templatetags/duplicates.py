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
        # The trigram look-up costs about 0.1 s on 10,000 demands: only for a demand flagged
        # when it or its look-alike arrived (the flag follows submissions, merges, erasures).
        "duplicates": Demand.objects.likely_duplicates_of(demand)
        if demand.has_likely_duplicates
        else [],
        "merged": Demand.all_objects.filter(merged_into=demand)
        .select_related("applicant")
        .order_by("created_at"),
        "can_edit": membership.can_edit,
        "show_contact": can_see_contact(membership),
    }
