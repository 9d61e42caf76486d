"""Log, change and delete the exchanges of a demand (editors). The form also sits on the
demand's page; when what was typed needs correcting, it comes back on its own page, with
everything typed kept."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shared_apps.accounts.perms import town_editor_required
from tenant_apps.demands.perms import demand_for
from tenant_apps.exchanges.forms import ExchangeForm
from tenant_apps.exchanges.models import Exchange
from tenant_apps.exchanges.perms import exchange_for


def form_page(request, demand, form, exchange=None):
    return render(
        request,
        "exchanges/form.html",
        {
            "demand": demand,
            "form": form,
            "exchange": exchange,
            "nav": "demands",
            "title": "Modifier un échange" if exchange else "Noter un échange",
        },
        status=400 if form.is_bound else 200,
    )


@town_editor_required
def log(request, reference):
    demand = demand_for(request, reference)
    if demand.erased_at:
        # The erasure emptied the summaries: none is written about the porteur after it.
        messages.error(
            request,
            "Les données de ce porteur sont effacées : aucun échange ne peut plus y être noté.",
        )
        return redirect(demand_url(demand))
    if request.method != "POST":
        return form_page(request, demand, ExchangeForm(territory=request.tenant, user=request.user))
    form = ExchangeForm(request.POST, territory=request.tenant)
    if not form.is_valid():
        return form_page(request, demand, form)
    exchange = Exchange(demand=demand, created_by=request.user)
    exchange.save_with_event(user=request.user, **form.apply(exchange))
    messages.success(request, f"{exchange.get_kind_display()} noté dans l’historique.")
    return redirect(demand_url(demand))


@town_editor_required
def edit(request, pk):
    exchange = exchange_for(request, pk)
    if request.method != "POST":
        form = ExchangeForm(territory=request.tenant, exchange=exchange)
        return form_page(request, exchange.demand, form, exchange)
    form = ExchangeForm(request.POST, territory=request.tenant, exchange=exchange)
    if not form.is_valid():
        return form_page(request, exchange.demand, form, exchange)
    exchange.save_with_event(user=request.user, **form.apply(exchange))
    messages.success(request, "Échange modifié.")
    return redirect(demand_url(exchange.demand))


@require_POST
@town_editor_required
def delete(request, pk):
    exchange = exchange_for(request, pk)
    if request.POST.get("confirmation") != "oui":
        # A POST without the confirmation page's button deletes nothing.
        return render(
            request,
            "exchanges/delete.html",
            {"exchange": exchange, "nav": "demands", "title": "Supprimer un échange"},
        )
    exchange.delete_with_event()
    messages.success(request, "Échange supprimé, ainsi que sa ligne dans l’historique.")
    return redirect(demand_url(exchange.demand))


def demand_url(demand):
    return reverse("backoffice:demand", args=[demand.reference]) + "#echanges"
