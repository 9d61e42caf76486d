"""The town's public catalogue: /locaux/ and /locaux/<id>/ (printed on posters)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from tenant_apps.premises.catalogue import (
    PER_PAGE,
    CatalogueFilter,
    cached_list,
    catalogue_premises,
    public_map,
    structured_data,
)
from tenant_apps.premises.models import CatalogueViewCount
from tenant_apps.proposals.forms import PorteurEmailForm
from tenant_apps.proposals.recognition import recognised


def catalogue(request):
    def render_list():
        filters = CatalogueFilter(request.GET)
        premises = filters.filter(catalogue_premises())
        page = Paginator(premises, PER_PAGE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "filters": filters,
            "page_obj": page,
            "query": query.urlencode(),
            "map": public_map(page.object_list),
        }
        return render_to_string("premises/catalogue_list.html", context, request)

    return render(
        request,
        "premises/catalogue.html",
        {"listing": cached_list(request, render_list), "title": "Locaux disponibles"},
    )


def detail(request, pk):
    premises = get_object_or_404(catalogue_premises(), pk=pk)
    if request.method == "GET":
        CatalogueViewCount.record(premises.pk)
    # A porteur who came from their follow-up page says « ce local m'intéresse » in one
    # click; anyone else by the address of their demand, or with a new demand.
    porteur = recognised(request)
    return render(
        request,
        "premises/catalogue_detail.html",
        {
            "premises": premises,
            "photos": list(premises.photos.all()),
            "map": public_map([premises]),
            "structured_data": structured_data(
                premises, request.tenant, request.build_absolute_uri()
            ),
            "porteur": porteur,
            "interest": porteur
            and porteur.demand.proposals.filter(premises=premises, answer="interested").first(),
            "email_form": PorteurEmailForm(),
            "title": f"{premises.get_kind_display()} de {premises.surface} m² — {premises.address}",
        },
    )
