"""The town's premises: inventory, one premises with its matching demands, creation and
changes, state history, photos, CSV import, the map and the new matches."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from shared_apps.accounts.perms import town_editor_required, town_staff_required
from tenant_apps.demands.enums import OPEN_STATUSES
from tenant_apps.network.models import NetworkMember
from tenant_apps.premises.enums import PremisesKind, PremisesState
from tenant_apps.premises.forms import ImportForm, PhotoForm, PremisesForm, StateForm
from tenant_apps.premises.imports import TEMPLATE_HEADER, import_premises
from tenant_apps.premises.map import map_data, pin_map
from tenant_apps.premises.matching import KEEP_PER_PREMISES, best_demands_for
from tenant_apps.premises.models import Area, Match, Premises
from tenant_apps.premises.perms import premises_for
from tenant_apps.proposals.forms import BestDemandsForm
from tenant_apps.proposals.models import Proposal

NEW_MATCH_DAYS = 14


def page(request, template, context, *, status=200):
    return render(request, f"backoffice/{template}", {"nav": "premises", **context}, status=status)


def new_matches():
    since = timezone.now() - timedelta(days=NEW_MATCH_DAYS)
    return Match.objects.current().new_since(since)


@town_staff_required()
def premises_list(request):
    premises = (
        Premises.objects.select_related("area", "managing_partner")
        .annotate(match_count=Count("matches", filter=Q(matches__demand__status__in=OPEN_STATUSES)))
        .order_by("address", "pk")
    )
    filters = {
        "state": request.GET.get("etat", ""),
        "kind": request.GET.get("type", ""),
        "area": request.GET.get("quartier", ""),
    }
    if filters["state"] in PremisesState.values:
        premises = premises.filter(state=filters["state"])
    if filters["kind"] in PremisesKind.values:
        premises = premises.filter(kind=filters["kind"])
    if filters["area"].isdigit() and len(filters["area"]) < 10:
        premises = premises.filter(area_id=int(filters["area"]))
    page_obj = Paginator(premises, 25).get_page(request.GET.get("page"))
    return page(
        request,
        "premises_list.html",
        {
            "page_obj": page_obj,
            "filters": filters,
            "states": PremisesState.choices,
            "kinds": PremisesKind.choices,
            "areas": Area.objects.all(),
            "new_match_count": new_matches().count(),
            "days": NEW_MATCH_DAYS,
            "keep": KEEP_PER_PREMISES,
            "can_edit": request.membership.can_edit,
            "title": "Locaux",
        },
    )


@town_staff_required()
def premises_detail(request, pk, forms=None):
    premises = premises_for(request, pk)
    forms = forms or {}
    proposals = list(premises.proposals.select_related("demand", "partner", "proposed_by"))
    by_demand = {proposal.demand_id: proposal for proposal in proposals}
    matches = best_demands_for(premises, limit=20) if premises.is_available else []
    return page(
        request,
        "premises_detail.html",
        {
            "premises": premises,
            "vacancy_days": premises.vacancy_days(),
            "audience": premises.audience(),
            "history": premises.state_changes.all(),
            "photos": premises.photos.all(),
            "matches": [(demand, match, by_demand.get(demand.pk)) for demand, match in matches],
            "proposals": proposals,
            "best_form": BestDemandsForm(),
            "can_edit": request.membership.can_edit,
            "state_form": forms.get("state") or StateForm(initial={"state": premises.state}),
            "photo_form": forms.get("photo") or PhotoForm(premises=premises),
            "title": premises.address,
        },
        status=400 if forms else 200,
    )


def saved_message(request, form, premises, refreshed):
    """What the save did, from the refresh's own figures (the matches are not scored again)."""
    text = "Local enregistré."
    if form.geocoding_failed and not premises.is_located:
        messages.warning(
            request,
            "L’adresse n’a pas été trouvée dans la Base Adresse Nationale : placez le local "
            "sur la carte ou saisissez ses coordonnées.",
        )
    count, new = refreshed.suited, len(refreshed.new_demands)
    if count:
        text += f" Il correspond à {count} demande{'s' if count > 1 else ''} en cours"
        if new:
            text += f", dont {new} nouvelle{'s' if new > 1 else ''}"
        text += "."
    messages.success(request, text)


@town_editor_required
def premises_create(request):
    form = PremisesForm(request.POST or None, managers=NetworkMember.objects.active().partners())
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            premises = form.save(user=request.user, refresh=False)
            refreshed = premises.refresh_matches()
        saved_message(request, form, premises, refreshed)
        return redirect("backoffice:premises_detail", pk=premises.pk)
    return page(
        request,
        "premises_form.html",
        {"form": form, "title": "Nouveau local", **pin_map(Premises.objects.all())},
        status=400 if form.errors else 200,
    )


@town_editor_required
def premises_edit(request, pk):
    premises = premises_for(request, pk)
    form = PremisesForm(
        request.POST or None,
        instance=premises,
        managers=NetworkMember.objects.active().partners(),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            premises = form.save(user=request.user, refresh=False)
            refreshed = premises.refresh_matches()
        saved_message(request, form, premises, refreshed)
        return redirect("backoffice:premises_detail", pk=premises.pk)
    if form.errors:
        premises.refresh_from_db()
    return page(
        request,
        "premises_form.html",
        {
            "form": form,
            "premises": premises,
            "title": f"Modifier {premises.address}",
            **pin_map(Premises.objects.all()),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@town_editor_required
def premises_state(request, pk):
    form = StateForm(request.POST)
    if not form.is_valid():
        return premises_detail(request, pk, forms={"state": form})
    with transaction.atomic():
        premises = premises_for(request, pk, for_update=True)
        change = premises.change_state(
            form.cleaned_data["state"], user=request.user, note=form.cleaned_data["note"]
        )
    if change is None:
        messages.info(request, f"Le local est déjà « {premises.get_state_display()} ».")
    else:
        messages.success(request, f"État : {premises.get_state_display()}.")
    return redirect("backoffice:premises_detail", pk=pk)


@require_POST
@town_editor_required
def premises_photo(request, pk):
    premises = premises_for(request, pk)
    form = PhotoForm(request.POST, request.FILES, premises=premises)
    if not form.is_valid():
        return premises_detail(request, pk, forms={"photo": form})
    form.save()
    messages.success(request, "Photo ajoutée.")
    return redirect("backoffice:premises_detail", pk=pk)


@require_POST
@town_editor_required
def premises_photo_delete(request, pk, photo_pk):
    premises = premises_for(request, pk)
    photo = get_object_or_404(premises.photos, pk=photo_pk)
    photo.image.delete(save=False)
    photo.delete()
    messages.success(request, "Photo supprimée.")
    return redirect("backoffice:premises_detail", pk=pk)


@town_editor_required
def premises_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = import_premises(
            form.cleaned_data["file"].read(),
            user=request.user,
            managers=NetworkMember.objects.active().partners(),
        )
        if report.error:
            form.add_error("file", report.error)
        elif report.created:
            messages.success(
                request,
                f"{len(report.created)} local{'aux' if len(report.created) > 1 else ''} "
                f"importé{'s' if len(report.created) > 1 else ''}.",
            )
    return page(
        request,
        "premises_import.html",
        {"form": form, "report": report, "header": TEMPLATE_HEADER, "title": "Importer"},
        status=400 if form.errors else 200,
    )


@town_staff_required()
def premises_import_template(request):
    response = HttpResponse(
        "\ufeff" + TEMPLATE_HEADER + "\r\n" + "12 rue de la République, 83300 Draguignan;;"
        "Boutique;65;950;;Bail commercial 3-6-9;Vacant;;oui;oui;;;;;Ancienne mercerie\r\n",
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(True, "modele-import-locaux.csv")
    return response


@town_staff_required()
def premises_map(request):
    premises = Premises.objects.select_related("area").order_by("area__name", "address")
    return page(
        request,
        "premises_map.html",
        {
            "premises": premises,
            "map_data": map_data(premises),
            "title": "Carte des locaux",
        },
    )


@town_staff_required()
def premises_matches(request):
    declined = Proposal.objects.declined().filter(
        demand=OuterRef("demand"), premises=OuterRef("premises")
    )
    matches = (
        new_matches()
        .select_related("premises", "demand", "premises__area")
        .annotate(declined=Exists(declined))
        .order_by("-created_at", "-score")[:200]
    )
    return page(
        request,
        "premises_matches.html",
        {"matches": matches, "days": NEW_MATCH_DAYS, "title": "Nouvelles correspondances"},
    )
