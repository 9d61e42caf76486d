"""The impact dashboard (back-office, town staff) and the open data (public, opt-in)."""

import csv
import io

from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from shared_apps.accounts.perms import town_staff_required
from tenant_apps.backoffice.exports import safe as spreadsheet_safe
from tenant_apps.impact import charts
from tenant_apps.impact.forms import PeriodForm
from tenant_apps.impact.kpis import dashboard
from tenant_apps.impact.opendata import open_data, open_data_rows
from tenant_apps.townsite.models import TownSettings

OPEN_DATA_SECONDS = 60 * 60
PDF_SECONDS = 24 * 60 * 60


def charted(board):
    """Each figure of the dashboard with its chart geometry."""
    return {
        "per_month": charts.vertical(board.per_month),
        "by_category": charts.horizontal(board.by_category),
        "by_area": charts.horizontal(board.by_area),
        "by_status": charts.horizontal(board.by_status),
        "by_stage": charts.horizontal(board.by_stage),
        "by_heard_from": charts.horizontal(board.by_heard_from),
        "funnel": charts.horizontal(board.funnel),
        "trend": charts.lines(board.trend, ["value", "installation"]),
        "tension_by_area": charts.horizontal(board.tension_by_area),
        "tension_by_kind": charts.horizontal(board.tension_by_kind),
        "refusals_by_kind": charts.horizontal(board.refusals_by_kind),
        "refusals_by_size": charts.horizontal(board.refusals_by_size),
        "refusals_by_price": charts.horizontal(board.refusals_by_price),
    }


def context(request):
    form = PeriodForm(request.GET or None)
    period = form.period()
    board = dashboard(period)
    return {
        "form": form,
        "board": board,
        "charts": charted(board),
        "nav": "dashboard",
        "title": "Tableau de bord",
        "generated_at": timezone.now(),
        "query": request.GET.urlencode(),
    }


@town_staff_required()
def dashboard_page(request):
    data = context(request)
    return render(
        request,
        "backoffice/dashboard.html",
        data,
        status=400 if data["form"].errors else 200,
    )


@town_staff_required()
def dashboard_pdf(request):
    from tenant_apps.kit.documents import font_url, kept_pdf

    data = context(request)
    data.update(
        {
            "territory": request.tenant,
            "font_regular": font_url("Marianne-Regular.woff"),
            "font_bold": font_url("Marianne-Bold.woff"),
        }
    )
    html = render(request, "backoffice/dashboard_print.html", data).content.decode()
    # Dated by the day, so that the same figures give the same PDF, drawn once.
    pdf = kept_pdf(html, timeout=PDF_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"tableau-de-bord-{request.tenant.slug}-{data['board'].period.end:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def opted_in():
    if not TownSettings.load().publish_open_data:
        raise Http404("Cette collectivité ne publie pas de données ouvertes.")


def published(territory):
    """The open data of the day, computed once an hour at most: these public URLs must
    not recompute the dashboard on every hit (the cache key is the town's, see
    tenants.cache)."""
    return cache.get_or_set(
        f"open-data:{timezone.localdate()}", lambda: open_data(territory), OPEN_DATA_SECONDS
    )


@require_GET
def open_data_page(request):
    opted_in()
    return render(
        request,
        "impact/open_data.html",
        {
            "data": published(request.tenant),
            "title": "Données ouvertes",
        },
    )


@require_GET
def open_data_json(request):
    opted_in()
    response = JsonResponse(
        published(request.tenant), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def open_data_csv(request):
    opted_in()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    # Area names are typed by the town's staff: neutralise what a spreadsheet would run.
    writer.writerows(
        [spreadsheet_safe(cell) for cell in row]
        for row in open_data_rows(published(request.tenant))
    )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        False, f"donnees-ouvertes-{request.tenant.slug}.csv"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
