"""How the back-office reaches a demand: through this helper only."""

from django.shortcuts import get_object_or_404

from tenant_apps.demands.models import Demand


def demand_for(request, reference, *, for_update=False):
    """The demand of the current town with this reference; the view's decorator has
    already checked the user's membership (and role, for changes)."""
    demands = Demand.objects.select_related("applicant", "assignee")
    if for_update:
        demands = demands.select_for_update(of=("self",))
    return get_object_or_404(demands, reference=reference)


def can_see_contact(membership):
    """Admins and agents see the porteur's contact details; read-only staff do not."""
    return membership is not None and membership.can_edit
