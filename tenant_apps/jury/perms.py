"""How views reach a jury seat, an application and a review: through these helpers only.

A juror's pages need an active seat on that call's jury (town staff or outsider alike);
nothing else of the town opens to a seat (an outsider has no membership)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404

from tenant_apps.calls.models import Application
from tenant_apps.jury.models import Juror


def juror_required(view):
    """The view takes the call's `pk` and gets `request.seat`: the user's active seat on
    that call's jury, or a 404 (another call, another town, a revoked seat)."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.seat = get_object_or_404(
            Juror.objects.of(request.user).select_related("call", "call__premises"), call_id=pk
        )
        return view(request, pk, *args, **kwargs)

    return wrapper


def seat_of(user, call):
    """The user's active seat on the call's jury, or None (staff who are not jurors)."""
    return Juror.objects.of(user).filter(call=call).first()


def application_of(call, pk):
    return get_object_or_404(Application, call=call, pk=pk)


def juror_of(call, pk):
    return get_object_or_404(Juror.objects.select_related("user"), call=call, pk=pk)
