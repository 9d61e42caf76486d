"""A small client of the Base Adresse Nationale geocoder (api-adresse.data.gouv.fr).

Any failure (no network, timeout, server error, unreadable answer, nothing reliable
found) gives None: the premises is then placed by hand, on the map or by coordinates.
"""

import json
import logging
from dataclasses import dataclass
from http.client import HTTPException
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

MIN_SCORE = 0.5  # below this, the BAN's guess is not worth a pin
MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    label: str
    score: float


def town_citycode():
    """The INSEE code of the current town when it is a commune (results stay in it)."""
    territory = getattr(connection, "tenant", None)
    code = getattr(territory, "official_code", "") or ""
    return code if getattr(territory, "kind", "") == "commune" and len(code) == 5 else ""


def geocode(address, *, citycode=None):
    """The best BAN result for `address`, or None."""
    url = settings.GEOCODER_URL
    address = " ".join(address.split())[:200]
    if not url or len(address) < 3:
        return None
    query = {"q": address, "limit": 1}
    citycode = town_citycode() if citycode is None else citycode
    if citycode:
        query["citycode"] = citycode
    request = Request(f"{url}?{urlencode(query)}", headers={"User-Agent": "BoursOloco"})
    try:
        with urlopen(request, timeout=settings.GEOCODER_TIMEOUT) as response:
            payload = json.loads(response.read(MAX_BYTES))
        feature = payload["features"][0]
        longitude, latitude = (float(value) for value in feature["geometry"]["coordinates"])
        properties = feature.get("properties") or {}
        score = float(properties.get("score", 0))
        label = str(properties.get("label", ""))[:255]
    # Whatever the answer (unreachable, truncated, odd shapes), the form's fallback applies.
    except (
        URLError,
        HTTPException,
        OSError,
        ValueError,
        LookupError,
        TypeError,
        AttributeError,
    ) as error:
        logger.warning("geocoding failed", extra={"error": repr(error)[:200]})
        return None
    if score < MIN_SCORE or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return Location(latitude, longitude, label, score)
