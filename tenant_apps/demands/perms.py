"""How the back-office reaches a demand: through this helper only."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from tenant_apps.demands.models import Demand


def demand_for(request, reference, *, for_update=False):
    """The demand of the current town with this reference (a merged demand's reference
    gives the demand it was merged into); the view's decorator has already checked the
    user's membership (and role, for changes)."""
    demands = Demand.objects.select_related("applicant", "assignee")
    if for_update:
        demands = demands.select_for_update(of=("self",))
    try:
        return get_object_or_404(demands, reference=reference)
    except Http404:
        merged_into = (
            Demand.all_objects.filter(reference=reference, merged_into__isnull=False)
            .values_list("merged_into__reference", flat=True)
            .first()
        )
        if merged_into is None:
            raise
        return get_object_or_404(demands, reference=merged_into)


def can_see_contact(membership):
    """Admins and agents see the porteur's contact details; read-only staff do not."""
    return membership is not None and membership.can_edit
