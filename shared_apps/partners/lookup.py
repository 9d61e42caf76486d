"""The public "Recherche d'entreprises" API: a SIRET pre-fills a partner's organisation.

The registration works without it: when the API is slow or unreachable, the person
types the organisation's details by hand."""

import json
import logging
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings

logger = logging.getLogger(__name__)


class LookupUnavailable(Exception):
    """The API did not answer in time or answered nonsense."""


def lookup_siret(siret):
    """The establishment with this SIRET as {name, siret, siren, address, postcode, city},
    or None if the API knows no such establishment."""
    url = f"{settings.ENTREPRISES_API_URL}?{urlencode({'q': siret, 'per_page': 1})}"
    request = Request(url, headers={"Accept": "application/json", "User-Agent": "BoursOloco"})
    try:
        with urlopen(request, timeout=settings.ENTREPRISES_API_TIMEOUT) as response:
            data = json.loads(response.read(1_000_000))
    except (URLError, TimeoutError, OSError, ValueError) as error:
        logger.warning("Recherche d’entreprises indisponible : %s", error)
        raise LookupUnavailable from error
    for company in data.get("results") or []:
        establishments = [company.get("siege") or {}, *company.get("matching_etablissements", [])]
        for place in establishments:
            if place.get("siret") == siret:
                return {
                    "name": (company.get("nom_complet") or "")[:200],
                    "siret": siret,
                    "siren": company.get("siren") or siret[:9],
                    "address": address_line(place),
                    "postcode": (place.get("code_postal") or "")[:5],
                    "city": (place.get("libelle_commune") or "")[:120],
                }
    return None


def address_line(place):
    """The street part of the API's address (its `adresse` repeats postcode and city)."""
    full = place.get("adresse") or ""
    for tail in (place.get("libelle_commune"), place.get("code_postal")):
        if tail and full.upper().endswith(tail.upper()):
            full = full[: -len(tail)].strip()
    return full[:255]
