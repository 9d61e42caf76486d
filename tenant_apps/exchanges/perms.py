"""How the back-office reaches an exchange: through this helper only."""

from django.shortcuts import get_object_or_404

from tenant_apps.exchanges.models import Exchange


def exchange_for(request, pk):
    """The exchange `pk` of the current town (the schema is the town's); the view's
    decorator has already checked the user's membership and role."""
    return get_object_or_404(
        Exchange.objects.select_related("demand", "event").prefetch_related(
            "team_members", "partners"
        ),
        pk=pk,
    )
