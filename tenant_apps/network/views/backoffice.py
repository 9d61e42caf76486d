"""The town's side of the network, in the back-office: /gestion/partenaires/ — members,
requests to accept or decline, invitations, and the national directory on its territory."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shared_apps.accounts.perms import town_admin_required, town_staff_required
from shared_apps.partners.models import Partner
from tenant_apps.mailing.services import queue_email
from tenant_apps.network.enums import MemberStatus
from tenant_apps.network.forms import InviteForm
from tenant_apps.network.models import Alert, NetworkMember
from tenant_apps.network.services import invite
from tenant_apps.townsite.models import TownSettings


def directory_for(request, exclude=()):
    return Partner.objects.visible().covering(request.tenant).exclude(pk__in=list(exclude))


@town_staff_required()
def network(request):
    return network_page(request, InviteForm(partners=directory_for(request)))


def network_page(request, form):
    members = list(NetworkMember.objects.select_related("partner").order_by("partner__name"))
    in_network = [m.partner_id for m in members]
    answers = {
        row["partner_id"]: row
        for row in Alert.objects.values("partner_id").annotate(
            sent=Count("pk"), answered=Count("answered_at")
        )
    }
    groups = {status: [] for status in MemberStatus.values}
    for member in members:
        member.stats = answers.get(member.partner_id, {"sent": 0, "answered": 0})
        groups[member.status].append(member)
    directory = directory_for(request, exclude=in_network)
    return render(
        request,
        "network/backoffice.html",
        {
            "requested": groups[MemberStatus.REQUESTED],
            "active": groups[MemberStatus.ACTIVE],
            "invited": groups[MemberStatus.INVITED],
            "declined": groups[MemberStatus.DECLINED] + groups[MemberStatus.LEFT],
            "directory": directory[:100],
            "directory_count": directory.count(),
            "form": form,
            "town_settings": TownSettings.for_request(request),
            "nav": "partners",
            "title": "Partenaires",
        },
        status=400 if form.errors else 200,
    )


@require_POST
@town_admin_required
def decide(request, pk):
    member = get_object_or_404(NetworkMember.objects.select_related("partner"), pk=pk)
    if member.status != MemberStatus.REQUESTED:
        messages.info(request, f"La demande de {member.partner.name} a déjà été traitée.")
        return redirect("network_admin:network")
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, "Choisissez d’accepter ou de refuser la demande.")
        return redirect("network_admin:network")
    accepted = decision == "accept"
    member.decide(accepted, by=request.user)
    if accepted:
        for email in member.partner.recipients:
            queue_email(
                f"network:{member.pk}:accepted:{member.decided_at:%s}:{email}",
                email,
                "network/emails/accepted.txt",
                {
                    "territory": request.tenant,
                    "partner": member.partner,
                    "url": request.tenant.url("/partenaires/"),
                },
            )
        messages.success(request, f"{member.partner.name} rejoint le réseau.")
    else:
        messages.success(request, f"Demande de {member.partner.name} refusée.")
    return redirect("network_admin:network")


@require_POST
@town_admin_required
def invite_partner(request):
    form = InviteForm(request.POST, partners=directory_for(request))
    if form.is_valid():
        invite(form.cleaned_data["partner"], form.cleaned_data["email"], by=request.user)
        messages.success(request, f"Invitation envoyée à {form.cleaned_data['email']}.")
        return redirect("network_admin:network")
    return network_page(request, form)
