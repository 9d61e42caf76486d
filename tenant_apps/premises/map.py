"""What the premises map draws: located premises, and each area as a circle around its
premises (areas have no drawn boundary), as data for the page's json_script."""

import math

from django.conf import settings
from django.db.models import Avg
from django.urls import reverse

from tenant_apps.premises.models import Premises

EARTH_RADIUS_M = 6_371_000


def distance_m(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    x = (lon2 - lon1) * math.cos((lat1 + lat2) / 2)
    return math.hypot(x, lat2 - lat1) * EARTH_RADIUS_M


def map_data(premises):
    points, by_area = [], {}
    for item in premises:
        if not item.is_located:
            continue
        point = (item.latitude, item.longitude)
        points.append(
            {
                "lat": item.latitude,
                "lon": item.longitude,
                "label": item.address,
                "detail": f"{item.get_kind_display()}, {item.surface} m² — "
                f"{item.get_state_display()}",
                "available": item.is_available,
                "url": reverse("backoffice:premises_detail", args=[item.pk]),
            }
        )
        if item.area_id:
            by_area.setdefault(item.area.name, []).append(point)
    areas = []
    for name, area_points in sorted(by_area.items()):
        lat = sum(p[0] for p in area_points) / len(area_points)
        lon = sum(p[1] for p in area_points) / len(area_points)
        radius = max(distance_m((lat, lon), p) for p in area_points) + 60
        areas.append({"name": name, "lat": lat, "lon": lon, "radius": round(radius)})
    return {"premises": points, "areas": areas, "tiles": settings.MAP_TILES_URL}


def pin_map(landmarks):
    """The premises form's map: centred on the town's located premises, with `landmarks`
    (a queryset of premises) drawn to find one's way even without tiles."""
    center = Premises.objects.located().aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
    rows = landmarks.located().values_list("latitude", "longitude", "address")[:2000]
    return {
        "map_center": f"{center['lat']:.6f},{center['lon']:.6f}" if center["lat"] else "",
        "map_tiles": settings.MAP_TILES_URL,
        "map_landmarks": [list(row) for row in rows],
    }
