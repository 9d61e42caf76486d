"""The town's public catalogue of premises: what may be shown of a published premises to
anyone (never its owner, state history or matches), its filters and its map."""

import json

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from tenant_apps.premises.enums import PremisesKind
from tenant_apps.premises.models import Area, Premises

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
