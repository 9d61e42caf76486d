"""/inscription/ on the national site, and the welcome link on the new town's site."""

from django.conf import settings
from django.contrib.auth import login
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from shared_apps.onboarding.forms import CodeForm, SpaceForm
from shared_apps.onboarding.search import find_territories
from shared_apps.onboarding.services import (
    OnboardingError,
    addresses_for,
    already_open,
    claim_territory,
    describe,
    existing_space,
    open_space,
    pending,
    start_verification,
    welcome_token,
    welcomed_user,
)
from shared_apps.proconnect.session import session_claims
from tenant_apps.demands.ratelimit import over_limit

CHOICE_KEY = "onboarding_choice"


def suggestions(request):
    """The same search as step 1, as JSON, for the page's live results (JavaScript)."""
    results = find_territories(request.GET.get("q", ""))
    return JsonResponse(
        {
            "results": [
                {"value": f"{kind}:{code}", "label": label, "taken": taken}
                for kind, code, label, _, taken in results
            ]
        }
    )


def choose(request):
    """Step 1: find the commune or EPCI (a plain search form: works without JavaScript)."""
    query = request.GET.get("q", "").strip()
    results = find_territories(query) if query else []
    error = ""
    if request.method == "POST":
        kind, _, code = request.POST.get("territoire", "").partition(":")
        fields = describe(kind, code)
        if fields is None:
            error = "Choisissez votre commune ou votre intercommunalité dans la liste."
        elif already_open(fields):
            error = f"{fields['name']} a déjà un espace sur BoursOloco : contactez son équipe."
        else:
            request.session[CHOICE_KEY] = fields
            return redirect("onboarding:space")
    return render(
        request,
        "onboarding/choose.html",
        {
            "query": query,
            "results": results,
            "error": error,
            "title": "Ouvrir l’espace de votre collectivité",
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def space(request):
    """Step 2: the address of the space (unless someone asked first) and its first
    administrator; signed in with ProConnect, the claim is recorded at once."""
    fields = request.session.get(CHOICE_KEY)
    if not fields:
        return redirect("onboarding:choose")
    claims = session_claims(request)
    existing = existing_space(fields)
    form = SpaceForm(
        request.POST or None,
        addresses=None if existing else addresses_for(fields),
        base_domain=settings.BASE_DOMAIN,
        identified=claims is not None,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        if claims is not None:
            try:
                claim = claim_territory(
                    fields, form.cleaned_data.get("slug"), request.user, proconnect=claims
                )
            except OnboardingError as error:
                form.add_error(None, str(error))
            else:
                request.session.pop(CHOICE_KEY, None)
                return after_claim(request, claim)
        elif over_limit(request, "onboarding-code", 5):
            form.add_error(
                None, "Trop de codes demandés depuis votre connexion : réessayez dans une heure."
            )
            status = 429
        else:
            space = {k: v for k, v in form.cleaned_data.items() if k != "accept_terms"}
            start_verification(request.session, fields, space)
            return redirect("onboarding:code")
    return render(
        request,
        "onboarding/space.html",
        {
            "form": form,
            "territory_fields": fields,
            "existing": existing,
            "proconnect": claims,
            # The ProConnect button brings the person back to this step, identified.
            "redirect_field_value": request.path,
            "base_domain": settings.BASE_DOMAIN,
            "title": "L’adresse de votre espace",
        },
        status=status if status != 200 else (400 if form.errors else 200),
    )


@require_http_methods(["GET", "POST"])
def code(request):
    """Step 3: the emailed code; the space is created at once, private until verified."""
    state = pending(request.session)
    if state is None:
        return redirect("onboarding:choose")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = open_space(request.session, form.cleaned_data["code"])
        except OnboardingError as error:
            form.add_error("code", str(error))
        else:
            request.session.pop(CHOICE_KEY, None)
            return after_claim(request, claim)
    return render(
        request,
        "onboarding/code.html",
        {"form": form, "email": state["space"]["email"], "title": "Vérifiez votre adresse"},
        status=400 if form.errors else 200,
    )


def after_claim(request, claim):
    """The claimant who runs the space lands in it; one who waits behind another claim
    is told what happens next."""
    town, user = claim.territory, claim.claimant
    if user.membership_in(town) is not None:
        return redirect(town.url(f"/compte/bienvenue/{welcome_token(town, user)}/"))
    return render(
        request,
        "onboarding/claim_recorded.html",
        {"claim": claim, "title": "Demande enregistrée"},
    )


def welcome(request, token):
    """On the new town's site: sign the new admin in once, then to the first steps."""
    user = welcomed_user(request, token)
    if user is None:
        return render(
            request, "onboarding/welcome_invalid.html", {"title": "Lien expiré"}, status=400
        )
    login(request, user, backend=settings.LOGIN_BACKEND)
    return redirect("backoffice:getting_started")
