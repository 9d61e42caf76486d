"""The partner portal on a town: /partenaires/ — the open demands matching the partner's
settings (anonymised), its answers, its alert settings and the premises it manages."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from shared_apps.partners.models import PartnerMember
from tenant_apps.demands.models import Introduction
from tenant_apps.network.enums import Answer, Frequency, MemberStatus
from tenant_apps.network.forms import AlertSettingsForm, AnswerForm
from tenant_apps.network.models import Alert, NetworkMember
from tenant_apps.network.perms import (
    demand_for_partner,
    network_partner_required,
    partner_member,
    premises_for_partner,
)
from tenant_apps.network.services import ask_to_join, record_answer, summary
from tenant_apps.premises.forms import PremisesForm
from tenant_apps.premises.map import pin_map
from tenant_apps.premises.models import Premises
from tenant_apps.proposals.enums import Answer as ProposalAnswer
from tenant_apps.proposals.enums import Origin


def home(request):
    """Anonymous: what joining brings. A partner: join, wait, or go to the demands."""
    member = partner_member(request.user)
    network_member = (
        NetworkMember.objects.filter(partner=member.partner).first() if member else None
    )
    if network_member and network_member.is_active and not member.partner.is_hidden:
        return redirect("network:demands")
    return render(
        request,
        "network/home.html",
        {
            "member": member,
            "network_member": network_member,
            "waiting_approval": None
            if member or not request.user.is_authenticated
            else PartnerMember.objects.filter(user=request.user).select_related("partner").first(),
            "title": "Espace partenaires",
        },
    )


@require_POST
def join(request):
    member = partner_member(request.user)
    if member is None:
        return redirect("partners:register")
    network_member = ask_to_join(member.partner)
    if network_member.status == MemberStatus.ACTIVE:
        messages.success(request, "Bienvenue dans le réseau de la collectivité.")
    else:
        messages.success(request, "Demande envoyée : l’équipe vous répondra par courriel.")
    return redirect("network:home")


@network_partner_required
def demands(request):
    member = request.network_member
    rows = member.open_demands().prefetch_related("areas").order_by("-created_at")
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    answers = dict(
        Alert.objects.filter(partner=member.partner, demand__in=page.object_list).values_list(
            "demand_id", "answer"
        )
    )
    items = [{"demand": demand, "answer": answers.get(demand.pk, "")} for demand in page]
    return render(
        request,
        "network/demands.html",
        {"page_obj": page, "items": items, "tab": "demands", "title": "Demandes ouvertes"},
    )


@network_partner_required
def demand(request, reference):
    demand = demand_for_partner(request, reference)
    alert = Alert.objects.filter(partner=request.partner, demand=demand).first()
    introduced = Introduction.objects.filter(demand=demand, partner=request.partner).exists()
    # The porteur's identity: only with their consent, and only once the town introduced them.
    contact = demand.applicant if introduced and demand.consent_to_share else None
    return render(
        request,
        "network/demand.html",
        {
            "demand": demand,
            "summary": summary(demand),
            "alert": alert,
            "contact": contact,
            "answers": Answer.choices,
            "tab": "demands",
            "title": f"Demande {demand.reference}",
        },
    )


@require_POST
@network_partner_required
def answer(request, reference):
    demand = demand_for_partner(request, reference)
    form = AnswerForm(request.POST)
    if form.is_valid():
        alert, _ = Alert.objects.get_or_create(
            partner=request.partner, demand=demand, defaults={"frequency": Frequency.IMMEDIATE}
        )
        record_answer(alert, form.cleaned_data["answer"])
        messages.success(request, "Réponse enregistrée : merci, l’équipe en est informée.")
    else:
        messages.error(request, "Choisissez une des réponses proposées.")
    return redirect("network:demand", reference=demand.reference)


@require_http_methods(["GET", "POST"])
@network_partner_required
def alert_settings(request):
    form = AlertSettingsForm(request.POST or None, instance=request.network_member)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Réglages des alertes enregistrés.")
        return redirect("network:settings")
    return render(
        request,
        "network/settings.html",
        {"form": form, "tab": "settings", "title": "Mes alertes"},
        status=400 if form.errors else 200,
    )


@network_partner_required
def premises_list(request):
    rows = (
        Premises.objects.managed_by(request.partner)
        .with_audience()
        .select_related("area")
        .annotate(
            proposal_count=Count("proposals", filter=~Q(proposals__origin=Origin.INTEREST)),
            interested_count=Count(
                "proposals", filter=Q(proposals__answer=ProposalAnswer.INTERESTED)
            ),
        )
    )
    return render(
        request,
        "network/premises_list.html",
        {"premises": rows, "tab": "premises", "title": "Mes locaux"},
    )


@require_http_methods(["GET", "POST"])
@network_partner_required
def premises_form(request, pk=None):
    instance = premises_for_partner(request, pk) if pk else None
    form = PremisesForm(
        request.POST or None, request.FILES or None, instance=instance, partner=request.partner
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Local enregistré.")
        return redirect("network:premises")
    return render(
        request,
        "network/premises_form.html",
        {
            "form": form,
            "premises": instance,
            "tab": "premises",
            "title": "Modifier le local" if instance else "Ajouter un local",
            **pin_map(Premises.objects.managed_by(request.partner)),
        },
        status=400 if form.errors else 200,
    )
