"""National site pages, legal pages and error pages."""

from django.http import Http404, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from shared_apps.accounts.perms import anct_staff_required
from tenants.enums import TerritoryStatus
from tenants.models import Territory

LEGAL_PAGES = {
    "mentions": "Mentions légales",
    "accessibilite": "Accessibilité : non conforme",
    "donnees": "Données personnelles",
    "plan": "Plan du site",
}


def home(request):
    towns = Territory.objects.towns().filter(status=TerritoryStatus.OPEN)
    return render(request, "national/home.html", {"towns": towns})


@anct_staff_required
def console(request):
    towns = Territory.objects.towns().order_by("status", "name")
    return render(request, "national/console.html", {"towns": towns})


def legal_page(request, page):
    if page not in LEGAL_PAGES:
        raise Http404
    return render(
        request, f"national/legal_{page}.html", {"title": LEGAL_PAGES[page], "page": page}
    )


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request):
    # No context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
