"""A town's landing page and its privacy page."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.static import serve

from shared_apps.partners.models import Partner
from tenant_apps.network.models import NetworkMember
from tenant_apps.premises.models import Area, Premises
from tenant_apps.townsite.models import TownSettings


def home(request):
    partner_ids = NetworkMember.objects.active().values_list("partner_id", flat=True)
    return render(
        request,
        "townsite/home.html",
        {
            "town_settings": TownSettings.load(),
            "areas": Area.objects.all(),
            "available_premises": Premises.objects.available().count(),
            "published_premises": Premises.objects.published().count(),
            "partners": Partner.objects.visible().filter(pk__in=partner_ids),
        },
    )


def privacy(request):
    return render(
        request,
        "townsite/privacy.html",
        {"town_settings": TownSettings.load(), "title": "Données personnelles"},
    )


def own_media(request, schema, path):
    """Development only: a town's uploaded files, from its own folder and no other."""
    if schema != request.tenant.schema_name:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT / schema)
