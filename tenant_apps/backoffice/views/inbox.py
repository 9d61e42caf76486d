"""The inbox: every demand of the town, filtered, searched, sorted, acted on in bulk."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shared_apps.accounts.perms import town_editor_required, town_staff_required
from tenant_apps.backoffice.forms import (
    STATUS_CHOICES,
    BulkForm,
    InboxFilterForm,
    clean_tags,
    team_members,
)
from tenant_apps.demands.counts import cached_count
from tenant_apps.demands.enums import OPEN_STATUSES, DemandStatus
from tenant_apps.demands.models import Demand, InvalidTransition
from tenant_apps.premises.models import Area
from tenant_apps.townsite.models import TownSettings

PAGE_SIZES = (25, 50, 100)


@town_staff_required()
def inbox(request):
    town_settings = TownSettings.load()
    members = list(team_members(request.tenant))
    filters = InboxFilterForm(request.GET or None, members=members, user=request.user)
    # Read once: the area select's options (bound or cached) and the cache's key.
    areas = list(Area.objects.values_list("pk", "name"))
    filters.fields["area"].choices = [("", "Tous"), *areas]
    demands = (
        filters.apply(Demand.objects.all(), town_settings)
        .select_related("applicant", "assignee")
        .prefetch_related("areas")
        .order_by(*filters.ordering())
    )
    try:
        size = int(request.GET.get("taille", 25))
    except ValueError:
        size = 25
    size = size if size in PAGE_SIZES else 25
    counts = status_counts(filters, town_settings)
    current = (filters.cleaned_data.get("status") if filters.is_valid() else "") or "active"
    paginator = Paginator(demands, size)
    # The status tabs already counted this selection: no second COUNT(*).
    paginator.count = next(tab["count"] for tab in counts if tab["value"] == current)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/inbox.html",
        {
            "filters": filters,
            "page_obj": page,
            "status_counts": counts,
            "current_status": current,
            "needing_action": cached_count(
                "needing_action",
                f"{timezone.localdate()}|{town_settings.remind_team_after_days}",
                Demand.objects.needing_action(town_settings).count,
            ),
            "query": query.urlencode(),
            "bulk": BulkForm(members=members),
            # What the cached filter and bulk fields show (see inbox.html).
            "choices": [
                [(m.pk, m.get_full_name(), m.email) for m in members],
                areas,
            ],
            "page_sizes": PAGE_SIZES,
            "page_size": size,
            "nav": "demands",
            "title": "Demandes",
        },
        status=200 if filters.is_valid() or not request.GET else 400,
    )


def status_counts(filters, town_settings):
    """How many demands each status tab would show with the other filters kept."""
    rows = filters.apply(Demand.objects.all(), town_settings, with_status=False)
    distinct = filters.is_valid() and bool(filters.cleaned_data.get("area"))
    params = filters.data.urlencode() if filters.is_bound else ""
    # Shared by the whole team, unless the counts depend on who asks ("suivies par moi").
    mine = filters.is_valid() and filters.cleaned_data.get("assignee") == "me"
    user = filters.user.pk if mine else ""
    counts = cached_count(
        "by_status",
        f"{params}|{user}|{timezone.localdate()}|{town_settings.remind_team_after_days}",
        lambda: dict(
            rows.order_by().values_list("status").annotate(n=Count("pk", distinct=distinct))
        ),
    )
    tabs = []
    for value, label in STATUS_CHOICES:
        if value == "active":
            count = sum(counts.get(s.value, 0) for s in OPEN_STATUSES)
        elif value == "all":
            count = sum(counts.values())
        else:
            count = counts.get(value, 0)
        tabs.append({"value": value, "label": label, "count": count})
    return tabs


@require_POST
@town_editor_required
def bulk(request):
    town_settings = TownSettings.load()
    members = list(team_members(request.tenant))
    form = BulkForm(request.POST, members=members)
    back = f"/gestion/?{request.POST.get('query', '')}"
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    query = request.POST.get("query", "")
    filters = InboxFilterForm(
        QueryDict(query) if query else None, members=members, user=request.user
    )
    scope = form.filter_scope(request.POST, filters.apply(Demand.objects.all(), town_settings))
    done = skipped = 0
    with transaction.atomic():
        for demand in scope.select_for_update(of=("self",)).select_related("applicant"):
            try:
                apply_bulk_action(form, demand, request.user)
                done += 1
            except InvalidTransition:
                skipped += 1
    if done == 0 and skipped == 0:
        messages.warning(request, "Aucune demande sélectionnée.")
    else:
        text = f"{done} demande{'s' if done > 1 else ''} modifiée{'s' if done > 1 else ''}"
        if skipped:
            text += (
                f", {skipped} ignorée{'s' if skipped > 1 else ''} (changement de statut non permis)"
            )
        messages.success(request, text + ".")
    return redirect(back)


def apply_bulk_action(form, demand, user):
    action = form.cleaned_data["action"]
    if action == "assign":
        demand.assign(form.members.get(form.cleaned_data["assignee"]), by=user)
    elif action == "tag":
        demand.tags = sorted(set(demand.tags) | set(clean_tags(form.cleaned_data["tag"])))
        demand.save(update_fields=["tags", "updated_at"])
    else:
        demand.transition_to(DemandStatus(form.cleaned_data["status"]), user=user)
