"""National site pages and legal pages (error pages: tenants.errors)."""

import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from shared_apps.accounts.one_time import one_time_token, one_time_user
from shared_apps.accounts.perms import VIEW_AS_KEY, anct_staff_required
from shared_apps.national.closing import export_town
from shared_apps.national.models import AuditEntry, TownStats
from shared_apps.partners.models import Partner, PartnerMember
from tenants.enums import TerritoryStatus
from tenants.models import Territory

VIEW_AS_SALT = "boursoloco.consultation"
LEGAL_PAGES = {
    "mentions": "Mentions légales",
    "accessibilite": "Accessibilité : non conforme",
    "donnees": "Données personnelles",
    "plan": "Plan du site",
    "conditions": "Conditions d’utilisation",
}


def home(request):
    towns = Territory.objects.towns().verified().filter(status=TerritoryStatus.OPEN)
    return render(request, "national/home.html", {"towns": towns})


@dataclass(frozen=True)
class ConsoleAction:
    allowed: frozenset  # the statuses a town may leave this way
    new_status: str
    audit_label: str
    button: str
    style: str = ""  # DSFR button variant


CONSOLE_ACTIONS = {
    "validate": ConsoleAction(
        frozenset({TerritoryStatus.PRE_OPENING}), TerritoryStatus.OPEN, "validation", "Valider"
    ),
    "reactivate": ConsoleAction(
        frozenset({TerritoryStatus.SUSPENDED, TerritoryStatus.CLOSED}),
        TerritoryStatus.OPEN,
        "réactivation",
        "Réactiver",
        "fr-btn--secondary",
    ),
    "suspend": ConsoleAction(
        frozenset({TerritoryStatus.PRE_OPENING, TerritoryStatus.OPEN}),
        TerritoryStatus.SUSPENDED,
        "suspension",
        "Suspendre",
        "fr-btn--tertiary",
    ),
    "close": ConsoleAction(
        frozenset({TerritoryStatus.PRE_OPENING, TerritoryStatus.OPEN, TerritoryStatus.SUSPENDED}),
        TerritoryStatus.CLOSED,
        "fermeture",
        "Fermer",
        "fr-btn--tertiary-no-outline",
    ),
}


# Actions that ask for confirmation first (their consequences are hard to undo).
CONFIRMED_ACTIONS = {"close", "suspend"}


def console_actions(town):
    """[(name, ConsoleAction)] a town's row offers: the ones its status allows."""
    if town.data_deleted:
        return []
    return [
        (name, action)
        for name, action in CONSOLE_ACTIONS.items()
        if town.status in action.allowed and (town.is_verified or name != "validate")
    ]


@anct_staff_required
def console(request):
    towns = (
        Territory.objects.towns()
        .select_related("stats", "subscription__plan", "verified_by")
        .annotate(pending_claims=Count("claims", filter=Q(claims__status="pending")))
        .order_by("status", "name")
    )
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("statut", "")
    if query:
        towns = towns.filter(name__unaccent__icontains=query)
    if status in TerritoryStatus.values:
        towns = towns.filter(status=status)
    totals = TownStats.objects.aggregate(
        demands=Sum("demands_last_30_days"),
        open=Sum("open_demands"),
        installed=Sum("installed_total"),
    )
    towns = list(towns)
    for town in towns:
        town.console_actions = console_actions(town)
    return render(
        request,
        "national/console.html",
        {
            "towns": towns,
            "query": query,
            "status": status,
            "statuses": TerritoryStatus.choices,
            "totals": totals,
            "businesses": TownStats.objects.business_totals(),
            "trials": TownStats.objects.trial_totals(),
            "title": "Console ANCT",
        },
    )


@require_POST
@anct_staff_required
def console_action(request, pk, action):
    if action not in CONSOLE_ACTIONS:
        raise Http404
    chosen = CONSOLE_ACTIONS[action]
    with transaction.atomic():
        town = get_object_or_404(Territory.objects.towns().select_for_update(), pk=pk)
        if (action, chosen) not in console_actions(town):
            messages.error(
                request, f"{town.name} est « {town.get_status_display()} » : action impossible."
            )
            return redirect("national:console")
        if action in CONFIRMED_ACTIONS and request.POST.get("confirmation") != "oui":
            return render(
                request,
                "national/console_confirm.html",
                {
                    "town": town,
                    "action": action,
                    "grace_days": settings.CLOSED_TOWN_GRACE_DAYS,
                    "title": f"{chosen.button} {town.name} ?",
                },
            )
        previous = town.get_status_display()
        town.set_status(chosen.new_status, grace_days=settings.CLOSED_TOWN_GRACE_DAYS)
        AuditEntry.objects.create(
            actor=request.user,
            action=chosen.audit_label,
            territory=town,
            details=f"{previous} → {town.get_status_display()}",
        )
    messages.success(request, f"{town.name} : {town.get_status_display()}.")
    return redirect("national:console")


@anct_staff_required
def journal(request):
    entries = AuditEntry.objects.select_related("actor", "territory")[:200]
    return render(
        request, "national/journal.html", {"entries": entries, "title": "Journal des actions"}
    )


def legal_page(request, page):
    if page not in LEGAL_PAGES:
        raise Http404
    return render(
        request, f"national/legal_{page}.html", {"title": LEGAL_PAGES[page], "page": page}
    )


@require_POST
@anct_staff_required
def view_as(request, pk):
    """Open a read-only, logged consultation of a town's back-office."""
    town = get_object_or_404(Territory.objects.with_data(), pk=pk)
    AuditEntry.objects.create(actor=request.user, action="consultation", territory=town)
    token = one_time_token(town, request.user, salt=VIEW_AS_SALT)
    return redirect(town.url(f"/compte/consultation/{token}/"))


def consult(request, token):
    """On the town's host: sign the ANCT agent in for a read-only consultation."""
    user = one_time_user(request, token, salt=VIEW_AS_SALT)
    if user is None or not user.is_anct_staff:
        return render(
            request, "onboarding/welcome_invalid.html", {"title": "Lien expiré"}, status=400
        )
    login(request, user, backend=settings.LOGIN_BACKEND)
    request.session[VIEW_AS_KEY] = request.tenant.schema_name
    return redirect("backoffice:inbox")


@anct_staff_required
def partners(request):
    query = request.GET.get("q", "").strip()[:100]
    rows = Partner.objects.order_by("is_hidden", "name")
    if query:
        rows = rows.filter(name__unaccent__icontains=query)
    # Who waits to join an organisation none of whose members can approve them.
    waiting = (
        PartnerMember.objects.filter(is_approved=False)
        .exclude(partner__members__is_approved=True)
        .select_related("user", "partner")
    )
    return render(
        request,
        "national/partners.html",
        {
            "partners": rows[:200],
            "waiting": waiting,
            "query": query,
            "title": "Annuaire des partenaires",
        },
    )


@require_POST
@anct_staff_required
def moderate_partner(request, pk):
    partner = get_object_or_404(Partner, pk=pk)
    partner.is_hidden = not partner.is_hidden
    partner.save(update_fields=["is_hidden"])
    AuditEntry.objects.create(
        actor=request.user,
        action="partenaire masqué" if partner.is_hidden else "partenaire rétabli",
        details=partner.name,
    )
    messages.success(request, f"{partner.name} : {'masqué' if partner.is_hidden else 'rétabli'}.")
    return redirect("national:partners")


@anct_staff_required
def town_export(request, pk):
    """Everything a town's schema holds, as a ZIP, to hand back to the town."""
    town = get_object_or_404(Territory.objects.with_data(), pk=pk)
    AuditEntry.objects.create(actor=request.user, action="export des données", territory=town)
    # In memory, as before the archive carried files: the console's export is rare and
    # synchronous; the town's own (tenant_apps.portability) is built by a job, on disk.
    with tempfile.TemporaryFile() as file:
        export_town(town, file)
        file.seek(0)
        response = HttpResponse(file.read(), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        True, f"boursoloco-{town.slug}.zip"
    )
    return response
