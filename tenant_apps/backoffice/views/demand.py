"""One demand: the need at a glance, the porteur's contact, the timeline, the actions."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shared_apps.accounts.perms import town_editor_required, town_staff_required
from shared_apps.referential.validators import display_phone
from tenant_apps.backoffice.forms import (
    FollowUpForm,
    IntroductionForm,
    NoteForm,
    StatusForm,
    team_members,
)
from tenant_apps.demands.models import InvalidTransition
from tenant_apps.demands.perms import can_see_contact, demand_for
from tenant_apps.demands.services import IntroductionRefused, introduce
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.premises.matching import best_premises_for


@town_staff_required()
def detail(request, reference, forms=None):
    demand = demand_for(request, reference)
    if demand.reference != reference:  # a demand merged into this one
        return redirect("backoffice:demand", reference=demand.reference)
    forms = forms or {}
    proposals = list(demand.proposals.select_related("premises", "partner", "proposed_by"))
    by_premises = {proposal.premises_id: proposal for proposal in proposals}
    # Shown for open demands only: no matching query for the others.
    matches = best_premises_for(demand, limit=10) if demand.is_open else []
    return render(
        request,
        "backoffice/demand_detail.html",
        {
            "demand": demand,
            "applicant": demand.applicant,
            "phone": display_phone(demand.applicant.phone),
            "show_contact": can_see_contact(request.membership),
            "can_edit": request.membership.can_edit,
            "events": demand.events.all(),
            # What the service sent by itself; the team's own emails are in their section.
            "emails": OutboundEmail.objects.filter(key__startswith=f"demand:{demand.pk}:")
            .exclude(key__contains=":courriel:")
            .only("to", "subject", "created_at", "sent_at"),
            "areas": demand.areas.all(),
            "matches": [(p, match, by_premises.get(p.pk)) for p, match in matches],
            "proposals": proposals,
            "status_form": forms.get("status") or StatusForm(demand=demand),
            "note_form": forms.get("note") or NoteForm(),
            "introduction_form": forms.get("introduction") or IntroductionForm(),
            "introductions": demand.introductions.select_related("partner"),
            "alerts": demand.alerts.select_related("partner").order_by("partner__name"),
            "follow_up_form": forms.get("follow_up")
            or FollowUpForm(
                members=team_members(request.tenant),
                initial={
                    "assignee": str(demand.assignee_id or ""),
                    "tags": ", ".join(demand.tags),
                    "next_action_on": demand.next_action_on,
                },
            ),
            "nav": "demands",
            "title": f"Demande {demand.reference}",
        },
        status=400 if forms else 200,
    )


@require_POST
@town_editor_required
def change_status(request, reference):
    with transaction.atomic():
        demand = demand_for(request, reference, for_update=True)
        form = StatusForm(request.POST, demand=demand)
        if not form.is_valid():
            return detail(request, reference, forms={"status": form})
        try:
            demand.transition_to(
                form.cleaned_data["status"], user=request.user, message=form.cleaned_data["message"]
            )
        except InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("backoffice:demand", reference=reference)
    messages.success(request, f"Statut : {demand.get_status_display()}.")
    return redirect("backoffice:demand", reference=reference)


@require_POST
@town_editor_required
def add_note(request, reference):
    demand = demand_for(request, reference)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return detail(request, reference, forms={"note": form})
    demand.add_note(request.user, form.cleaned_data["text"])
    messages.success(request, "Note enregistrée.")
    return redirect("backoffice:demand", reference=reference)


@require_POST
@town_editor_required
def follow_up(request, reference):
    with transaction.atomic():
        demand = demand_for(request, reference, for_update=True)
        form = FollowUpForm(request.POST, members=team_members(request.tenant))
        if not form.is_valid():
            return detail(request, reference, forms={"follow_up": form})
        assignee = form.assignee_user()
        if assignee != demand.assignee:
            demand.assign(assignee, by=request.user)
        demand.tags = form.cleaned_data["tags"]
        demand.next_action_on = form.cleaned_data["next_action_on"]
        demand.save(update_fields=["tags", "next_action_on", "updated_at"])
    messages.success(request, "Suivi enregistré.")
    return redirect("backoffice:demand", reference=reference)


@require_POST
@town_editor_required
def introduce_partner(request, reference):
    demand = demand_for(request, reference)
    form = IntroductionForm(request.POST)
    if not form.is_valid():
        return detail(request, reference, forms={"introduction": form})
    try:
        introduce(
            request.tenant,
            demand,
            form.cleaned_data["partner"],
            by=request.user,
            message=form.cleaned_data["message"],
        )
    except IntroductionRefused as error:
        form.add_error(None, str(error))
        return detail(request, reference, forms={"introduction": form})
    messages.success(request, f"Mise en relation avec {form.cleaned_data['partner'].name} envoyée.")
    return redirect("backoffice:demand", reference=reference)
