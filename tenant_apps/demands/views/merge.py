"""Merging a likely duplicate into a demand, from the demand page: a confirmation page
saying what will happen (a GET changes nothing), then the merge on its button."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from shared_apps.accounts.perms import town_editor_required
from shared_apps.referential.validators import display_phone
from tenant_apps.demands.merge import (
    QUIET,
    MergeRefused,
    check_mergeable,
    merge,
    older_and_newer,
    relations,
)
from tenant_apps.demands.models import Demand
from tenant_apps.demands.perms import demand_for
from tenant_apps.demands.views.followup import confirmed
from tenant_apps.mailing.models import OutboundEmail


def what_moves(newer):
    """[(label, count)] of the newer demand's rows that a merge would move (read only)."""
    counts = []
    for model, fk in relations():
        if model is Demand or model._meta.auto_created or model._meta.label_lower in QUIET:
            continue
        count = model._base_manager.filter(**{fk: newer}).count()
        if count:
            counts.append((str(model._meta.verbose_name_plural), count))
    emails = OutboundEmail.objects.filter(key__startswith=f"demand:{newer.pk}:").count()
    if emails:
        counts.append(("courriels", emails))
    return sorted(counts)


@require_http_methods(["GET", "POST"])
@town_editor_required
def merge_demands(request, reference, other):
    demand = demand_for(request, reference)
    other_demand = demand_for(request, other)
    try:
        check_mergeable(demand, other_demand)
    except MergeRefused as error:
        messages.error(request, str(error))
        return redirect("backoffice:demand", reference=demand.reference)
    older, newer = older_and_newer(demand, other_demand)
    if request.method == "POST" and confirmed(request):
        try:
            report = merge(demand, other_demand, by=request.user)
        except MergeRefused as error:
            messages.error(request, str(error))
            return redirect("backoffice:demand", reference=demand.reference)
        text = f"{newer.reference} est fusionnée dans {older.reference}."
        if report.kept:
            text += (
                f" {len(report.kept)} élément(s) en double gardé(s) une seule fois : "
                "voir l’historique."
            )
        messages.success(request, text)
        return redirect("backoffice:demand", reference=older.reference)
    reasons = next(
        (
            d.duplicate_reasons
            for d in Demand.objects.likely_duplicates_of(demand)
            if d.pk == other_demand.pk
        ),
        [],
    )
    return render(
        request,
        "demands/merge_confirm.html",
        {
            "demand": demand,
            "older": older,
            "newer": newer,
            "pair": [
                (older, display_phone(older.applicant.phone)),
                (newer, display_phone(newer.applicant.phone)),
            ],
            "reasons": reasons,
            "moves": what_moves(newer),
            "hidden": [],
            "nav": "demands",
            "title": f"Fusionner {newer.reference} dans {older.reference}",
        },
    )
