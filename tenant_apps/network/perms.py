"""Who may use a town's partner portal: a member of a partner organisation whose
organisation is an active member of this town's network."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect

from shared_apps.partners.models import PartnerMember
from tenant_apps.demands.models import Demand
from tenant_apps.network.models import Alert, NetworkMember
from tenant_apps.premises.models import Premises
from tenant_apps.proposals.models import Proposal


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


def visible_demands(request):
    """The demands the partner may see: open and matching its settings, or open and
    either alerted to it or interested in (or proposed) one of the premises it manages."""
    member = request.network_member
    alerted = Alert.objects.filter(partner=member.partner).values("demand_id")
    on_its_premises = Proposal.objects.of_partner(member.partner).values("demand_id")
    known = Demand.objects.open().not_erased().filter(Q(pk__in=alerted) | Q(pk__in=on_its_premises))
    return (member.open_demands() | known).distinct()


def demand_for_partner(request, reference):
    """A demand the partner may see (visible_demands). Anything else is a 404, never a
    hint that it exists."""
    return get_object_or_404(visible_demands(request), reference=reference)


def premises_for_partner(request, pk):
    """One of the premises the partner manages in this town; any other is a 404."""
    managed = Premises.objects.managed_by(request.partner).select_related("area")
    return get_object_or_404(managed, pk=pk)
