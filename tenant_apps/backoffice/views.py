"""The back-office shell: overview, demands and premises of the current town."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from shared_apps.accounts.perms import town_admin_required, town_staff_required
from tenant_apps.demands.models import Demand
from tenant_apps.premises.models import Premises
from tenant_apps.townsite.forms import TownSettingsForm
from tenant_apps.townsite.models import TownSettings

PAGE_SIZE = 25


@town_staff_required()
def home(request):
    demands = Demand.objects.all()
    return render(
        request,
        "backoffice/home.html",
        {
            "counts": demands.count_by_status(),
            "open_count": demands.open().count(),
            "recent": demands.select_related("applicant")[:8],
            "available_premises": Premises.objects.available().count(),
            "nav": "home",
        },
    )


@town_staff_required()
def demand_list(request):
    demands = Demand.objects.select_related("applicant").prefetch_related("areas")
    page = Paginator(demands, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "backoffice/demand_list.html", {"page_obj": page, "nav": "demands"})


@town_staff_required()
def premises_list(request):
    premises = Premises.objects.select_related("area", "managing_partner")
    page = Paginator(premises, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "backoffice/premises_list.html", {"page_obj": page, "nav": "premises"})


@town_admin_required
def settings_form(request):
    form = TownSettingsForm(request.POST or None, instance=TownSettings.load())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Les réglages sont enregistrés.")
        return redirect("backoffice:settings")
    return render(
        request,
        "backoffice/settings.html",
        {"form": form, "nav": "settings", "title": "Réglages"},
        status=400 if form.errors else 200,
    )
