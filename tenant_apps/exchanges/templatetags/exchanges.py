"""The exchanges' parts of other apps' pages, each computing its own context:
{% load exchanges %} then {% demand_exchanges demand %} (the list), {% log_exchange_form
demand %} (the form) on a demand's page, {% exchange_figures board.period %} on the
dashboard."""

from django import template
from django.db.models import Count

from tenant_apps.demands.enums import DemandStatus
from tenant_apps.demands.models import Demand
from tenant_apps.exchanges.enums import ExchangeKind
from tenant_apps.exchanges.forms import ExchangeForm
from tenant_apps.exchanges.models import Exchange

register = template.Library()


@register.inclusion_tag("exchanges/demand_exchanges.html", takes_context=True)
def demand_exchanges(context, demand):
    membership = getattr(context["request"], "membership", None)
    return {
        "exchanges": demand.exchanges.prefetch_related("team_members", "partners"),
        "can_edit": membership is not None and membership.can_edit,
        "request": context["request"],
    }


@register.inclusion_tag("exchanges/log_form.html", takes_context=True)
def log_exchange_form(context, demand):
    request = context["request"]
    return {
        "demand": demand,
        "form": ExchangeForm(territory=request.tenant, user=request.user),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


def figures(period):
    """Exchanges over the period: how many of each kind, and per installed demand (the
    exchanges, at any date, of the demands received in the period and now installed)."""
    counts = dict(
        Exchange.objects.between(period.start_at, period.end_at)
        .values_list("kind")
        .annotate(count=Count("pk"))
        .values_list("kind", "count")
    )
    by_kind = [(kind.label, counts.get(kind.value, 0)) for kind in ExchangeKind]
    installed = Demand.objects.filter(
        status=DemandStatus.INSTALLED,
        created_at__gte=period.start_at,
        created_at__lt=period.end_at,
    )
    installed_demands = installed.count()
    exchanges = Exchange.objects.filter(demand__in=installed).count() if installed_demands else 0
    per_installed = round(exchanges / installed_demands, 1) if installed_demands else None
    return {
        "by_kind": by_kind,
        "total": sum(counts.values()),
        "installed_demands": installed_demands,
        "per_installed": per_installed,
    }


@register.inclusion_tag("exchanges/dashboard.html")
def exchange_figures(period):
    return {"figures": figures(period)}
