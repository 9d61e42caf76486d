"""Calls for applications: the back-office's pages under /gestion/appels/ (staff read,
editors write) and the town's public pages under /appels/ (published calls only)."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shared_apps.accounts.perms import town_editor_required, town_staff_required
from tenant_apps.calls.forms import ApplicationForm, CallForm, criteria_formset
from tenant_apps.calls.models import Call
from tenant_apps.calls.perms import application_for, call_for, portal_call_for, public_call
from tenant_apps.calls.services import LATE, apply
from tenant_apps.demands.ratelimit import over_limit
from tenant_apps.demands.views.followup import with_demand
from tenant_apps.network.perms import network_partner_required

# Applications from one address in an hour (each stores up to 10 Mo): a family or a
# shared connection applies a few times; a robot stops here.
APPLICATIONS_PER_HOUR = 10
LIMITED = (
    "Trop de candidatures envoyées depuis votre connexion en peu de temps : réessayez dans "
    "une heure."
)

# Back-office ---------------------------------------------------------------------------


@town_staff_required()
def backoffice_list(request):
    calls = (
        Call.objects.select_related("premises", "proposed_by")
        .annotate(application_count=Count("applications"))
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "calls/backoffice_list.html",
        {"calls": calls, "nav": "calls", "title": "Appels à candidatures"},
    )


def form_page(request, form, criteria, call=None):
    bound = form.is_bound
    return render(
        request,
        "calls/backoffice_form.html",
        {
            "form": form,
            "criteria": criteria,
            "call": call,
            "nav": "calls",
            "title": f"Modifier « {call.title} »" if call else "Nouvel appel à candidatures",
        },
        status=400 if bound else 200,
    )


@town_editor_required
def create(request):
    if request.method != "POST":
        initial = {}
        premises_pk = request.GET.get("local", "")
        if premises_pk.isdigit():
            initial["premises"] = int(premises_pk)
        return form_page(request, CallForm(initial=initial), criteria_formset())
    form, criteria = CallForm(request.POST), criteria_formset(request.POST)
    if not (form.is_valid() & criteria.is_valid()):
        return form_page(request, form, criteria)
    with transaction.atomic():
        call = form.save(commit=False)
        call.created_by = request.user
        call.save()
        call.set_criteria(criteria.criteria)
    messages.success(request, "Appel enregistré en brouillon : relisez-le, puis publiez-le.")
    return redirect("calls_admin:detail", call.pk)


@town_editor_required
def edit(request, pk):
    call = call_for(request, pk)
    # Once published, the grid is part of the conditions: only a draft's is edited.
    if request.method != "POST":
        criteria = criteria_formset(call=call) if call.is_draft else None
        return form_page(request, CallForm(instance=call), criteria, call)
    form = CallForm(request.POST, instance=call)
    criteria = criteria_formset(request.POST) if call.is_draft else None
    criteria_ok = criteria.is_valid() if criteria is not None else True
    if not (form.is_valid() & criteria_ok):
        return form_page(request, form, criteria, call)
    with transaction.atomic():
        form.save()
        if criteria is not None:
            call.set_criteria(criteria.criteria)
    messages.success(request, "Appel enregistré.")
    return redirect("calls_admin:detail", call.pk)


@town_staff_required()
def backoffice_detail(request, pk):
    call = call_for(request, pk)
    return render(
        request,
        "calls/backoffice_detail.html",
        {
            "call": call,
            "criteria": list(call.criteria.all()),
            "applications": list(call.applications.all()),
            "can_edit": request.membership.can_edit,
            "nav": "calls",
            "title": call.title,
        },
    )


@require_POST
@town_editor_required
def publish(request, pk):
    call = call_for(request, pk)
    if request.POST.get("confirmation") != "oui":
        # A POST without the confirmation page's button publishes nothing.
        return render(
            request,
            "calls/publish_confirm.html",
            {"call": call, "nav": "calls", "title": "Publier l’appel"},
        )
    try:
        call.publish()
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Appel publié : il est en ligne sur le site de la ville.")
    return redirect("calls_admin:detail", call.pk)


@town_editor_required
def business_plan(request, pk, application_pk):
    """An application's business plan: to the town's agents and admins, never a public
    URL."""
    application = application_for(call_for(request, pk), application_pk)
    try:
        handle = open(application.plan_path, "rb")  # noqa: SIM115 — FileResponse closes it
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=application.plan_file_name,
        content_type="application/pdf",
    )


# The partner portal -------------------------------------------------------------------


@network_partner_required
def portal_list(request):
    calls = (
        Call.objects.filter(proposed_by=request.partner)
        .select_related("premises")
        .annotate(application_count=Count("applications"))
    )
    return render(
        request,
        "calls/portal_list.html",
        {"calls": calls, "tab": "calls", "title": "Mes appels à candidatures"},
    )


@network_partner_required
def portal_form(request, pk=None):
    """The managing partner drafts a call for one of its premises, and edits it while it
    is a draft; the town's team reads it, then publishes it."""
    call = portal_call_for(request, pk) if pk else None
    if request.method == "POST":
        form = CallForm(request.POST, instance=call, partner=request.partner)
        criteria = criteria_formset(request.POST)
        if form.is_valid() & criteria.is_valid():
            with transaction.atomic():
                call = form.save(commit=False)
                if call.pk is None:
                    call.created_by, call.proposed_by = request.user, request.partner
                call.save()
                call.set_criteria(criteria.criteria)
            messages.success(
                request,
                "Appel enregistré en brouillon : l’équipe de la ville le relit et le publie.",
            )
            return redirect("calls_portal:list")
    else:
        if call is not None:
            form = CallForm(instance=call, partner=request.partner)
        else:
            premises_pk = request.GET.get("local", "")
            initial = {"premises": int(premises_pk)} if premises_pk.isdigit() else {}
            form = CallForm(initial=initial, partner=request.partner)
        criteria = criteria_formset(call=call)
    return render(
        request,
        "calls/portal_form.html",
        {
            "form": form,
            "criteria": criteria,
            "call": call,
            "action": request.path,
            "tab": "calls",
            "title": f"Modifier « {call.title} »" if call else "Proposer un appel à candidatures",
        },
        status=400 if form.is_bound else 200,
    )


# The town's site ------------------------------------------------------------------------


def public_list(request):
    calls = Call.objects.public().open_first().select_related("premises", "premises__area")
    return render(
        request, "calls/public_list.html", {"calls": calls, "title": "Appels à candidatures"}
    )


def public_detail(request, pk):
    call = public_call(pk)
    return render(
        request,
        "calls/public_detail.html",
        {
            "call": call,
            "photo": call.premises.photos.first(),
            "criteria": list(call.criteria.all()),
            "title": call.title,
        },
    )


def apply_page(request, call, form, *, status=200, demand=None, action=None):
    return render(
        request,
        "calls/apply.html",
        {
            "call": call,
            "form": form,
            "demand": demand,
            "action": action,
            "title": f"Candidater — {call.title}",
        },
        status=status,
    )


def application(request, pk):
    call = public_call(pk)
    if request.method != "POST":
        if not call.accepts_applications:
            return render(request, "calls/apply_closed.html", {"call": call, "title": call.title})
        return apply_page(request, call, ApplicationForm())
    form = ApplicationForm(request.POST, request.FILES)
    if not call.accepts_applications:
        # Checked on the server whatever the page said: the text typed comes back with
        # the reason, nothing is recorded.
        form.is_valid()
        form.add_error(None, LATE)
        return apply_page(request, call, form, status=400)
    if not form.is_valid():
        return apply_page(request, call, form, status=400)
    if over_limit(request, "call-apply", APPLICATIONS_PER_HOUR):
        form.add_error(None, LIMITED)
        return apply_page(request, call, form, status=429)
    try:
        apply(call, form.cleaned_data, form.plan_bytes, form.cleaned_data["business_plan"].name)
    except ValidationError as error:
        form.add_error(None, error.messages[0])
        return apply_page(request, call, form, status=400)
    return redirect("calls:applied", call.pk)


@with_demand
def followup_apply(request, demand, token, pk):
    """From the porteur's follow-up page: the same form, prefilled from their demand (they
    may correct it), and the application records the demand it came from."""
    call = public_call(pk)
    if not demand.is_alive or demand.erased_at:
        messages.info(request, "Votre demande est close : candidatez depuis la page de l’appel.")
        return redirect("demands:followup", token=token)
    if not call.accepts_applications:
        return render(request, "calls/apply_closed.html", {"call": call, "title": call.title})
    page = partial(
        apply_page, demand=demand, action=reverse("calls_followup:apply", args=[token, call.pk])
    )
    if request.method != "POST":
        return page(request, call, ApplicationForm(initial=prefilled(demand)))
    form = ApplicationForm(request.POST, request.FILES)
    if not form.is_valid():
        return page(request, call, form, status=400)
    if over_limit(request, "call-apply", APPLICATIONS_PER_HOUR):
        form.add_error(None, LIMITED)
        return page(request, call, form, status=429)
    try:
        apply(
            call,
            form.cleaned_data,
            form.plan_bytes,
            form.cleaned_data["business_plan"].name,
            demand=demand,
        )
    except ValidationError as error:
        form.add_error(None, error.messages[0])
        return page(request, call, form, status=400)
    messages.success(
        request,
        f"Votre candidature à « {call.title} » est envoyée : vous suivez ici où elle en est.",
    )
    return redirect(reverse("demands:followup", args=[token]) + "#appels")


def prefilled(demand):
    applicant = demand.applicant
    project = demand.activity + (f"\n\n{demand.description}" if demand.description else "")
    return {
        "name": f"{applicant.first_name} {applicant.last_name}".strip(),
        "email": applicant.email,
        "phone": applicant.phone,
        "project": project,
    }


def applied(request, pk):
    call = public_call(pk)
    return render(request, "calls/applied.html", {"call": call, "title": "Candidature envoyée"})
