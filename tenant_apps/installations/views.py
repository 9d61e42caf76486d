"""The team records a demand's installed business, looked up in the Sirene directory when
it answers, typed by hand when it does not."""

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from shared_apps.accounts.perms import town_editor_required
from shared_apps.referential.entreprises import Establishment, Unavailable, find_establishment
from tenant_apps.demands.enums import DemandStatus
from tenant_apps.demands.perms import demand_for
from tenant_apps.installations.forms import BusinessForm, SiretLookupForm, initial_for
from tenant_apps.installations.models import Business
from tenant_apps.installations.services import SiretTaken, record_business

FIELDS = ["siret", "name", "address", "naf_code", "opened_on", "premises"]
# What the directory fills when the team left it empty.
FILLED_FROM_DIRECTORY = {"name": "name", "address": "full_address", "naf_code": "naf_code"}


@dataclass(frozen=True)
class Notice:
    """What the look-up found, in DSFR alert terms (success, warning, info, error)."""

    level: str
    title: str
    text: str = ""
    establishment: Establishment | None = None


def look_up(data):
    """(initial values, Notice): what was typed, completed from the directory."""
    initial = {name: data.get(name, "") for name in FIELDS}
    lookup = SiretLookupForm({"siret": data.get("siret", "")})
    if not lookup.is_valid():
        return initial, Notice("error", lookup.errors["siret"][0])
    siret = lookup.cleaned_data["siret"]
    initial["siret"] = siret
    try:
        found = find_establishment(siret)
    except Unavailable as error:
        return initial, Notice(
            "warning",
            "Le répertoire des entreprises ne répond pas",
            f"Recherche impossible : {error}. Saisissez le nom et la date d’ouverture à la "
            "main, rien n’est perdu ; l’état de l’établissement sera vérifié automatiquement "
            "plus tard.",
        )
    if found is None:
        return initial, Notice(
            "info",
            f"Aucun établissement ne porte le SIRET {siret} dans le répertoire",
            "Un établissement tout juste créé peut y mettre quelques jours : vérifiez les "
            "chiffres, ou saisissez les informations à la main.",
        )
    for name, attribute in FILLED_FROM_DIRECTORY.items():
        if not str(initial.get(name) or "").strip():
            initial[name] = getattr(found, attribute)
    if found.is_active:
        return initial, Notice("success", f"Établissement trouvé : {found.name}", "", found)
    closed = f" le {found.closed_on:%d/%m/%Y}" if found.closed_on else ""
    return initial, Notice(
        "warning",
        f"Établissement trouvé : {found.name}, mais fermé{closed}",
        "Vérifiez le SIRET auprès du porteur : un établissement qui ouvre a un SIRET actif.",
        found,
    )


def business_of(request, demand):
    """(business or None, refused): a demand not installed yet, with no business to
    correct, is refused, and a message says why."""
    business = Business.objects.filter(demand=demand).select_related("premises").first()
    if business is None and demand.status != DemandStatus.INSTALLED:
        messages.error(
            request,
            "Passez d’abord la demande au statut « Installé » pour enregistrer son entreprise.",
        )
        return None, True
    return business, False


def page(request, demand, business, form, notice=None, status=200):
    return render(
        request,
        "installations/record.html",
        {
            "demand": demand,
            "business": business,
            "form": form,
            "notice": notice,
            "nav": "demands",
            "title": f"Entreprise installée — {demand.reference}",
        },
        status=status,
    )


@town_editor_required
def record(request, reference):
    """GET: the form; POST with `rechercher`: the look-up (nothing saved, nothing typed
    lost); any other POST: save."""
    if request.method == "POST" and "rechercher" not in request.POST:
        return save(request, reference)
    demand = demand_for(request, reference)
    business, refused = business_of(request, demand)
    if refused:
        return redirect("backoffice:demand", reference=demand.reference)
    if request.method == "POST":
        # The directory is asked outside any transaction: no lock waits for it.
        initial, notice = look_up(request.POST)
        form = BusinessForm(instance=business, demand=demand, initial=initial)
        return page(request, demand, business, form, notice)
    form = BusinessForm(instance=business, demand=demand, initial=initial_for(demand, business))
    return page(request, demand, business, form)


def save(request, reference):
    with transaction.atomic():
        demand = demand_for(request, reference, for_update=True)
        business, refused = business_of(request, demand)
        if refused:
            return redirect("backoffice:demand", reference=demand.reference)
        form = BusinessForm(request.POST, instance=business, demand=demand)
        if form.is_valid():
            try:
                saved = record_business(demand, form, request.user)
            except SiretTaken:
                form.add_error("siret", "Ce SIRET vient d’être enregistré pour une autre demande.")
            else:
                messages.success(request, f"Entreprise enregistrée : {saved.name}.")
                return redirect("backoffice:demand", reference=demand.reference)
    return page(request, demand, business, form, status=400)
