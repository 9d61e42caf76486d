"""The town's public catalogue of premises: what may be shown of a published premises to
anyone (never its owner, state history or matches), its filters and its map, and the
cache of its list pages."""

import hashlib
import json
import uuid

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.safestring import mark_safe

from tenant_apps.premises.enums import PremisesKind
from tenant_apps.premises.models import Area, Premises, PremisesPhoto

PER_PAGE = 12


class CatalogueFilter(forms.Form):
    """The catalogue's filters, from the query string; a bad value is explained and
    ignored, never a server error."""

    kind = forms.ChoiceField(
        label="Type de local",
        required=False,
        choices=[("", "Tous les types"), *PremisesKind.choices],
        error_messages={"invalid_choice": "Choisissez un type de local dans la liste."},
    )
    surface = forms.IntegerField(
        label="Surface minimale (m²)",
        required=False,
        min_value=0,
        max_value=10_000,
        error_messages={
            "invalid": "Indiquez la surface en m², en chiffres.",
            "min_value": "La surface ne peut pas être négative.",
            "max_value": "La surface doit être de 10 000 m² au plus.",
        },
    )
    budget = forms.IntegerField(
        label="Loyer mensuel maximum (€)",
        required=False,
        min_value=0,
        max_value=1_000_000,
        error_messages={
            "invalid": "Indiquez le loyer en euros, en chiffres.",
            "min_value": "Le loyer ne peut pas être négatif.",
            "max_value": "Indiquez un loyer d’au plus 1 000 000 €.",
        },
    )
    area = forms.ModelChoiceField(
        label="Quartier",
        required=False,
        queryset=Area.objects.all(),
        empty_label="Tous les quartiers",
        error_messages={"invalid_choice": "Choisissez un quartier dans la liste."},
    )

    def filter(self, premises):
        """`premises` narrowed by every valid filter (invalid ones are left out)."""
        self.is_valid()
        data = {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value not in (None, "")
        }
        if "kind" in data:
            premises = premises.filter(kind=data["kind"])
        if "surface" in data:
            premises = premises.filter(surface__gte=data["surface"])
        if "budget" in data:
            premises = premises.filter(monthly_rent__lte=data["budget"])
        if "area" in data:
            premises = premises.filter(area=data["area"])
        return premises


def catalogue_premises():
    return (
        Premises.objects.published()
        .select_related("area")
        .prefetch_related("photos")
        .order_by("-created_at", "pk")
    )


def public_map(premises):
    """The map's data for the catalogue's json_script: public fields only."""
    return {
        "premises": [
            {
                "lat": item.latitude,
                "lon": item.longitude,
                "label": item.address,
                "detail": f"{item.get_kind_display()}, {item.surface} m²",
                "available": True,
                "url": reverse("catalogue:detail", args=[item.pk]),
            }
            for item in premises
            if item.is_located
        ],
        "areas": [],
        "tiles": settings.MAP_TILES_URL,
    }


def structured_data(premises, town, url):
    """schema.org data for search engines: an offer to lease (or sell) a place."""
    place = {
        "@type": "Place",
        "name": f"{premises.get_kind_display()} de {premises.surface} m²",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": premises.address,
            "addressLocality": town.name,
            "addressCountry": "FR",
        },
        "floorSize": {"@type": "QuantitativeValue", "value": premises.surface, "unitCode": "MTK"},
    }
    if premises.is_located:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": premises.latitude,
            "longitude": premises.longitude,
        }
    offer = {
        "@context": "https://schema.org",
        "@type": "Offer",
        "url": url,
        "itemOffered": place,
        "priceCurrency": "EUR",
        "availability": "https://schema.org/InStock",
    }
    if premises.monthly_rent:
        offer["businessFunction"] = "http://purl.org/goodrelations/v1#LeaseOut"
        offer["priceSpecification"] = {
            "@type": "UnitPriceSpecification",
            "price": premises.monthly_rent,
            "priceCurrency": "EUR",
            "unitCode": "MON",
        }
    elif premises.sale_price:
        offer["businessFunction"] = "http://purl.org/goodrelations/v1#Sell"
        offer["price"] = premises.sale_price
    if premises.available_from:
        offer["availabilityStarts"] = premises.available_from.isoformat()
    # Inside <script>: no character may close the element or open a comment.
    return mark_safe(json.dumps(offer, ensure_ascii=False).translate(SCRIPT_ESCAPES))


SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


# The list pages are the same for every visitor: each is rendered once and kept in the
# cache (per town: tenants.cache prefixes every key with the schema), under a version
# that any change to a premises, a photo or an area replaces. A change the signals do not
# see (a bulk update) shows within LIST_SECONDS.
LIST_SECONDS = 120
VERSION_KEY = "catalogue:version"


def list_key(query, version):
    """The cache key of a list page, or None for a query not worth keeping: invalid
    filters (their messages quote the input) or an odd page number, so that made-up
    queries cannot fill the cache."""
    page = query.get("page", "1")
    if not (page.isdigit() and len(page) <= 4) or not CatalogueFilter(query).is_valid():
        return None
    kept = sorted((name, query.get(name, "")) for name in [*CatalogueFilter.base_fields, "page"])
    digest = hashlib.sha256(repr(kept).encode()).hexdigest()[:32]
    return f"catalogue:list:{version}:{digest}"


def cached_list(request, render_list):
    """The list page's HTML for this query, from the cache or `render_list()`."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    key = list_key(request.GET, version)
    html = cache.get(key) if key else None
    if html is None:
        html = render_list()
        if key:
            cache.set(key, str(html), LIST_SECONDS)
    return mark_safe(html)


def forget_lists():
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def catalogue_changed(sender, **kwargs):
    # At once, and again after the commit: a page rendered in between, from data not
    # committed yet, is never served.
    forget_lists()
    transaction.on_commit(forget_lists, robust=True)


def connect():
    for model in (Premises, PremisesPhoto, Area):
        for signal in (post_save, post_delete):
            signal.connect(
                catalogue_changed, sender=model, dispatch_uid=f"catalogue.{model.__name__}"
            )
