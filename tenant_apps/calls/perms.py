"""How views reach a call and its applications: through these helpers only."""

from django.shortcuts import get_object_or_404

from tenant_apps.calls.enums import CallStatus
from tenant_apps.calls.models import Application, Call


def call_for(request, pk):
    """The call `pk` of the current town, whatever its state (the schema is the town's);
    the view's decorator has already checked the user's membership and role."""
    return get_object_or_404(
        Call.objects.select_related("premises", "support_partner", "created_by", "proposed_by"),
        pk=pk,
    )


def public_call(pk):
    """A call the town's site shows: published (or closed or decided since), never a
    draft; another town's call does not exist in this schema."""
    return get_object_or_404(
        Call.objects.public().select_related("premises", "premises__area", "support_partner"),
        pk=pk,
    )


def application_for(call, pk):
    return get_object_or_404(Application, call=call, pk=pk)


def portal_call_for(request, pk):
    """A draft the partner proposed; anything else (published since, another partner's,
    the town's own) is a 404."""
    return get_object_or_404(
        Call.objects.filter(proposed_by=request.partner, status=CallStatus.DRAFT), pk=pk
    )
