"""Partner registration (on the national site and on each town) and the national
partner home: the towns where the partner has premises, to join in one click."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tenants.utils import schema_context

from shared_apps.accounts.perms import used_second_factor
from shared_apps.accounts.verification import pending, send_email
from shared_apps.onboarding.forms import CodeForm
from shared_apps.partners.forms import ORGANISATION_FIELDS, RegistrationForm, SiretLookupForm
from shared_apps.partners.lookup import LookupUnavailable, lookup_siret
from shared_apps.partners.models import PartnerMember
from shared_apps.partners.services import (
    SESSION_KEY,
    RegistrationError,
    complete_registration,
    start_registration,
    towns_covering,
)
from tenant_apps.demands.ratelimit import over_limit

LOOKUPS_PER_HOUR = 30


def on_town(request):
    return not request.tenant.is_public


def layout(request):
    return "components/layout_town.html" if on_town(request) else "components/layout_national.html"


class LookUp:
    """One SIRET look-up as the form and the JSON endpoint report it: what was found (or
    None), and a message with its level and HTTP status."""

    def __init__(self, request, raw_siret):
        self.found, self.level, self.status = None, "warning", 200
        lookup = SiretLookupForm({"siret": raw_siret})
        if not lookup.is_valid():
            self.level, self.status = "error", 400
            self.message = lookup.errors["siret"][0]
            return
        siret = lookup.cleaned_data["siret"]
        if over_limit(request, "siret-lookup", LOOKUPS_PER_HOUR):
            self.status = 429
            self.message = "Trop de recherches : remplissez le formulaire à la main."
            return
        try:
            self.found = lookup_siret(siret)
        except LookupUnavailable:
            self.status = 503
            self.message = (
                "Le service de recherche des entreprises ne répond pas : remplissez le "
                "formulaire à la main, rien n’est perdu."
            )
            return
        if self.found is None:
            self.message = (
                f"Aucun établissement ne porte le SIRET {siret} : vérifiez-le, ou remplissez le "
                "formulaire à la main."
            )
        else:
            self.level = "success"
            self.message = f"Établissement trouvé : {self.found['name']}. Vérifiez puis complétez."


def prefill(request, data):
    """The form's data with what the SIRET look-up found; a message says what happened."""
    look_up = LookUp(request, data.get("siret", ""))
    if look_up.found:
        data = data.copy()
        for name in ("siret", "name", "address", "postcode", "city"):
            data[name] = look_up.found[name]
    return data, (look_up.level, look_up.message)


@require_http_methods(["GET", "POST"])
def register(request):
    town = request.tenant if on_town(request) else None
    initial = {}
    if town:
        initial["departments"] = ", ".join(
            sorted({c.department for c in town.communes() if c.department})
        )
    notice = None
    if request.method == "POST" and {"lookup", "search_places"} & set(request.POST):
        data = request.POST
        if "lookup" in data:
            data, notice = prefill(request, data)
        # A look-up or a search is not a submission: the form shows what was typed or
        # found, and the places found to tick, without errors.
        form = RegistrationForm(
            initial={name: data.get(name, "") for name in data} | {"places": data.getlist("places")}
        )
    else:
        form = RegistrationForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            start_registration(request.session, form.cleaned_data)
            return redirect("partners:register_code")
    return render(
        request,
        "partners/register.html",
        {
            "form": form,
            "layout": layout(request),
            "notice": notice,
            "organisation_fields": [form[name] for name in ORGANISATION_FIELDS],
            "title": "Inscrire votre organisation",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def register_code(request):
    state = pending(request.session, SESSION_KEY)
    if state is None:
        return redirect("partners:register")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, member, created = complete_registration(
                request.session, form.cleaned_data["code"]
            )
        except RegistrationError as error:
            form.add_error("code", str(error))
        else:
            login(request, user, backend=settings.LOGIN_BACKEND)
            partner = member.partner
            if not member.is_approved:
                messages.info(
                    request,
                    f"{partner.name} est déjà dans l’annuaire : un de ses membres (ou l’ANCT) "
                    "doit accepter votre demande. Vous recevrez un courriel.",
                )
                return redirect("/partenaires/")
            if not created:
                messages.info(
                    request,
                    f"{partner.name} était déjà dans l’annuaire : vous l’avez rejointe.",
                )
            if on_town(request):
                from tenant_apps.network.services import ask_to_join

                ask_to_join(partner)
                return redirect("/partenaires/")
            return redirect("partners:home")
    return render(
        request,
        "partners/register_code.html",
        {
            "form": form,
            "email": state["email"],
            "layout": layout(request),
            "title": "Vérifiez votre adresse",
        },
        status=400 if form.errors else 200,
    )


@require_GET
def siret(request):
    """The look-up as JSON (the same answers as the form's « Rechercher » button)."""
    look_up = LookUp(request, request.GET.get("siret", ""))
    if look_up.status != 200:
        return JsonResponse({"error": look_up.message}, status=look_up.status)
    return JsonResponse({"found": look_up.found, "message": look_up.message})


def home(request):
    """National: what partners get; for a signed-in partner, the towns to join."""
    member = (
        PartnerMember.objects.filter(user=request.user).select_related("partner").first()
        if request.user.is_authenticated
        else None
    )
    towns, waiting = [], []
    if member and member.is_approved:
        waiting = member.partner.members.filter(is_approved=False).select_related("user")
        for town in towns_covering(member.partner)[:50]:
            with schema_context(town.schema_name):
                from tenant_apps.network.models import NetworkMember

                status = (
                    NetworkMember.objects.filter(partner=member.partner)
                    .values_list("status", flat=True)
                    .first()
                )
            towns.append({"town": town, "status": status})
    return render(
        request,
        "partners/home.html",
        {"member": member, "towns": towns, "waiting": waiting, "title": "Partenaires"},
    )


@require_POST
@login_required
def decide_member(request, pk, decision):
    """An approved member of the organisation (or ANCT staff, after their second factor)
    accepts or refuses someone who asked to join it."""
    candidate = get_object_or_404(
        PartnerMember.objects.select_related("partner", "user"), pk=pk, is_approved=False
    )
    colleague = PartnerMember.objects.approved().filter(
        user=request.user, partner=candidate.partner
    )
    anct = request.user.is_anct_staff and used_second_factor(request)
    if not (colleague.exists() or anct) or decision not in ("accepter", "refuser"):
        raise PermissionDenied("Seuls les membres de cette organisation en décident.")
    name = candidate.user.get_full_name() or candidate.user.email
    if decision == "accepter":
        candidate.is_approved = True
        candidate.save(update_fields=["is_approved"])
        send_email(
            f"Bienvenue chez {candidate.partner.name} sur BoursOloco",
            f"Bonjour,\n\nVotre demande pour rejoindre {candidate.partner.name} sur BoursOloco "
            "est acceptée. Connectez-vous avec un code reçu par courriel sur le site de "
            "chaque collectivité, à l’adresse /partenaires/.\n\n— BoursOloco\n",
            [candidate.user.email],
        )
        messages.success(request, f"{name} a rejoint {candidate.partner.name}.")
    else:
        candidate.delete()
        messages.success(request, f"Demande de {name} refusée.")
    return redirect("national:partners" if anct and not colleague.exists() else "partners:home")


@require_POST
@login_required
def join(request, pk):
    """National: ask to join a town's network."""
    member = get_object_or_404(
        PartnerMember.objects.approved().select_related("partner"), user=request.user
    )
    town = get_object_or_404(towns_covering(member.partner), pk=pk)
    with schema_context(town.schema_name):
        from tenant_apps.network.services import ask_to_join

        ask_to_join(member.partner)
    messages.success(
        request, f"Demande envoyée à {town.name} : l’équipe vous répondra par courriel."
    )
    return redirect("partners:home")
