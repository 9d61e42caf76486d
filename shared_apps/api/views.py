"""Pages of the API: its docs (/api/docs/, both hosts), and the tokens, managed by a
town's admins in its settings and by ANCT staff in the console."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from ninja.openapi.docs import Swagger

from shared_apps.accounts.perms import anct_staff_required, town_admin_required
from shared_apps.api import national, town
from shared_apps.api.auth import with_pending_calls
from shared_apps.api.enums import NATIONAL_SCOPES, TOWN_SCOPES
from shared_apps.api.forms import TokenForm
from shared_apps.api.models import ApiToken, ApiTokenEvent


def town_docs(request):
    return Swagger({"persistAuthorization": False}).render_page(request, town.api)


def national_docs(request):
    return Swagger({"persistAuthorization": False}).render_page(request, national.api)


# Where each host's pages live and what they look like.
TOWN = {
    "layout": "components/layout_backoffice.html",
    "scopes": TOWN_SCOPES,
    "list": "api_tokens:tokens",
    "revoke": "api_tokens:revoke",
    "nav": "settings",
    "where": "Réglages → API",
}
NATIONAL = {
    "layout": "components/layout_national.html",
    "scopes": NATIONAL_SCOPES,
    "list": "api_console:tokens",
    "revoke": "api_console:revoke",
    "nav": "",
    "where": "la console",
}


def tokens_page(request, site):
    form = TokenForm(request.POST or None, scopes=site["scopes"])
    if request.method == "POST" and form.is_valid():
        token, key = ApiToken.issue(
            request.tenant,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            days=int(form.cleaned_data["days"]),
            by=request.user,
        )
        # Shown once, in this answer only: never stored, never in a redirect or a message.
        response = render(
            request,
            "api/token_created.html",
            {**site, "token": token, "key": key, "title": "Jeton créé", "site": site},
        )
        response["Cache-Control"] = "no-store"
        return response
    tokens = with_pending_calls(
        ApiToken.objects.of(request.tenant).select_related("created_by", "revoked_by")
    )
    events = ApiTokenEvent.objects.filter(token__territory=request.tenant).select_related(
        "token", "actor"
    )[:50]
    return render(
        request,
        "api/tokens.html",
        {
            **site,
            "site": site,
            "form": form,
            "tokens": tokens,
            "events": events,
            "tab": "api",
            "title": "API",
            "api_root": request.tenant.url("/api/v1/"),
            "docs_url": request.tenant.url("/api/docs/"),
        },
        status=400 if form.errors else 200,
    )


def revoke_page(request, pk, site):
    token = get_object_or_404(ApiToken, pk=pk, territory=request.tenant)
    if request.POST.get("confirmation") != "oui":
        return render(
            request,
            "api/token_revoke.html",
            {
                **site,
                "site": site,
                "token": token,
                "tab": "api",
                "title": "Révoquer un jeton",
                "action": reverse(site["revoke"], args=[token.pk]),
                "cancel_url": reverse(site["list"]),
            },
        )
    if token.revoke(by=request.user):
        messages.success(request, f"Le jeton « {token.name} » est révoqué : il ne sert plus.")
    return redirect(site["list"])


@town_admin_required
def town_tokens(request):
    return tokens_page(request, TOWN)


@require_POST
@town_admin_required
def town_revoke(request, pk):
    return revoke_page(request, pk, TOWN)


@anct_staff_required
def national_tokens(request):
    return tokens_page(request, NATIONAL)


@require_POST
@anct_staff_required
def national_revoke(request, pk):
    return revoke_page(request, pk, NATIONAL)
