"""Who may use a town's partner portal: a member of a partner organisation whose
organisation is an active member of this town's network."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect

from shared_apps.partners.models import PartnerMember
from tenant_apps.demands.models import Demand
from tenant_apps.network.models import Alert, NetworkMember


def partner_member(user):
    if not user.is_authenticated:
        return None
    return PartnerMember.objects.approved().filter(user=user).select_related("partner").first()


def network_partner_required(view):
    """Sets request.partner and request.network_member, or sends the person to the
    portal's home (which explains how to join)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        member = partner_member(request.user)
        network_member = (
            NetworkMember.objects.active().filter(partner=member.partner).first()
            if member
            else None
        )
        if network_member is None:
            return redirect("network:home")
        request.partner, request.network_member = member.partner, network_member
        return view(request, *args, **kwargs)

    return wrapper


def demand_for_partner(request, reference):
    """A demand the partner may see: open and matching its settings, or one it was
    alerted about. Anything else is a 404, never a hint that it exists."""
    member = request.network_member
    alerted = Alert.objects.filter(partner=member.partner).values("demand_id")
    visible = member.open_demands() | Demand.objects.open().not_erased().filter(pk__in=alerted)
    return get_object_or_404(visible.distinct(), reference=reference)
