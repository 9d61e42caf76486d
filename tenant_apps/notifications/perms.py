"""Whose notifications: each person reaches their own, in the town of the host."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from shared_apps.accounts.perms import town_staff_required
from tenant_apps.notifications.models import Notification


def own_inbox_required(view):
    """Any member of the town's team; ANCT's read-only consultation may read, not write
    (its membership is not saved: nobody's inbox or settings are its to change)."""

    @town_staff_required()
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and request.membership.pk is None:
            raise PermissionDenied("La consultation par l’ANCT ne modifie rien.")
        return view(request, *args, **kwargs)

    return wrapper


def notification_for(request, pk):
    """The person's own notification in this town, or 404 (anyone else's included)."""
    return get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
