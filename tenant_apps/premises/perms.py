"""How the back-office reaches a premises: through this helper only."""

from django.shortcuts import get_object_or_404

from tenant_apps.premises.models import Premises


def premises_for(request, pk, *, for_update=False):
    """The premises `pk` of the current town (the schema is the town's); the view's
    decorator has already checked the user's membership and role."""
    premises = Premises.objects.select_related("area", "managing_partner")
    if for_update:
        premises = premises.select_for_update(of=("self",))
    return get_object_or_404(premises, pk=pk)
