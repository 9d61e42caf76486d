"""A small client of the public "Recherche d'entreprises" API (the Sirene directory): one
establishment by its SIRET, with its name, address, NAF code and administrative state.

Used by the partners' registration and by the installed businesses (their look-up and
their monthly check). The API asks for at most 7 requests a second from one caller: every
request of every process waits its turn in a window counted in Redis (`polite_turn`).
"""

import json
import logging
import time
from dataclasses import dataclass
from datetime import date
from http.client import HTTPException
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import django_rq
from django.conf import settings
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

MAX_BYTES = 1_000_000
RATE_KEY = "boursoloco:entreprises-api:next-slot"


class Unavailable(Exception):
    """The API did not answer in time, asked us to slow down (429), failed (5xx) or
    answered nonsense; its message is for people."""


@dataclass(frozen=True)
class Establishment:
    siret: str
    siren: str
    name: str
    address: str  # the street part; postcode and city apart
    postcode: str
    city: str
    naf_code: str  # e.g. "56.10A"
    is_active: bool
    closed_on: date | None

    @property
    def full_address(self):
        return " ".join(part for part in (self.address, self.postcode, self.city) if part)


def find_establishment(siret):
    """The establishment with this SIRET, or None if the directory knows none; raises
    Unavailable when the API cannot say."""
    url = f"{settings.ENTREPRISES_API_URL}?{urlencode({'q': siret, 'per_page': 1})}"
    request = Request(url, headers={"Accept": "application/json", "User-Agent": "BoursOloco"})
    polite_turn()
    try:
        with urlopen(request, timeout=settings.ENTREPRISES_API_TIMEOUT) as response:
            body = response.read(MAX_BYTES)
    except HTTPError as error:
        logger.warning("Recherche d’entreprises : HTTP %s", error.code)
        if error.code == 429:
            raise Unavailable("le service demande de ralentir (trop de requêtes)") from error
        raise Unavailable(f"le service a répondu par une erreur ({error.code})") from error
    except (URLError, HTTPException, OSError) as error:
        logger.warning("Recherche d’entreprises indisponible : %r", error)
        raise Unavailable("le service ne répond pas") from error
    try:
        return establishment_in(json.loads(body), siret)
    except (AttributeError, LookupError, TypeError, ValueError) as error:
        logger.warning("Recherche d’entreprises : réponse illisible (%r)", error)
        raise Unavailable("le service a répondu de façon illisible") from error


def establishment_in(data, siret):
    """The establishment `siret` in a /search answer, or None."""
    for company in data.get("results") or []:
        places = [company.get("siege") or {}, *(company.get("matching_etablissements") or [])]
        for place in places:
            if place.get("siret") != siret:
                continue
            # The establishment's own state ("A" active, "F" fermé); a ceased company
            # ("C") closes all of its establishments.
            state = place.get("etat_administratif") or company.get("etat_administratif")
            closed_on = None
            if state != "A":
                closed_on = place.get("date_fermeture") or company.get("date_fermeture")
            return Establishment(
                siret=siret,
                siren=company.get("siren") or siret[:9],
                name=(company.get("nom_complet") or company.get("nom_raison_sociale") or "")[:200],
                address=street_line(place),
                postcode=(place.get("code_postal") or "")[:5],
                city=(place.get("libelle_commune") or "")[:120],
                naf_code=(
                    place.get("activite_principale") or company.get("activite_principale") or ""
                )[:6],
                is_active=state == "A",
                closed_on=date.fromisoformat(closed_on) if closed_on else None,
            )
    return None


def street_line(place):
    """The street part of the API's address (its `adresse` repeats postcode and city)."""
    full = place.get("adresse") or ""
    for tail in (place.get("libelle_commune"), place.get("code_postal")):
        if tail and full.upper().endswith(tail.upper()):
            full = full[: -len(tail)].strip()
    return full[:255]


# Each caller takes the next free slot, one every 1/rate second, for every process: the
# requests are spaced, not bunched at the start of each second (a window counted per clock
# second lets two bursts meet across its edge).
NEXT_SLOT = """
local now = tonumber(ARGV[1])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], slot + tonumber(ARGV[2]), 'EX', 60)
return tostring(slot)
"""


def polite_turn():
    """Wait for this request's turn: at most ENTREPRISES_API_RATE requests a second,
    spaced evenly, for every process (a slot booked in Redis). Redis being down: a pause
    of one request's share of a second instead."""
    rate = settings.ENTREPRISES_API_RATE
    try:
        connection = django_rq.get_connection("default")
        slot = float(connection.eval(NEXT_SLOT, 1, RATE_KEY, repr(time.time()), repr(1 / rate)))
        time.sleep(max(slot - time.time(), 0))
    except RedisError:
        logger.warning("Redis injoignable : pause fixe avant Recherche d’entreprises")
        time.sleep(1 / rate)
