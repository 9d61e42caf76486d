"""The town's settings, for its admins."""

from django.contrib import messages
from django.shortcuts import redirect, render

from shared_apps.accounts.perms import town_admin_required
from tenant_apps.townsite.forms import TownSettingsForm
from tenant_apps.townsite.models import TownSettings


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
