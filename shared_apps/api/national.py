"""The API of the national host, /api/v1/: the towns with their rolled-up figures (the
public table the nightly rollup writes: no town's schema is read to list them), and the
open data of a town that chose to publish it (read in that one town's schema, from the
same hourly cache as its /donnees-ouvertes.json)."""

from datetime import datetime

from django.db.models import Q
from django.http import Http404
from django_tenants.utils import schema_context

from shared_apps.api import schemas
from shared_apps.api.auth import TokenAuth
from shared_apps.api.base import new_api
from shared_apps.api.enums import Scope
from shared_apps.api.pagination import DEFAULT_LIMIT, paginate, since_filter
from shared_apps.api.problems import ApiProblem
from tenant_apps.impact.views import opted_in, published
from tenants.models import Territory

api = new_api(
    title="BoursOloco — API nationale",
    description="Les collectivités ouvertes et leurs chiffres (calculés chaque nuit), et les "
    "données ouvertes de celles qui les publient. Jeton : `Authorization: Bearer <jeton>`, "
    "créé par l’ANCT dans la console. Listes paginées par curseur (`next_cursor`) ; erreurs "
    "au format application/problem+json (RFC 9457).",
    namespace="api",
)


def listed():
    return Territory.objects.reachable().verified().select_related("stats")


def town_out(town):
    stats = getattr(town, "stats", None)
    return {
        "slug": town.slug,
        "name": town.name,
        "kind": town.kind,
        "official_code": town.official_code,
        "status": town.status,
        "url": town.url(),
        "api_url": town.url("/api/v1/"),
        "stats": {
            **{
                name: getattr(stats, name)
                for name in (
                    "demands_last_30_days",
                    "open_demands",
                    "installed_total",
                    "median_days_to_installation",
                    "staff",
                    "partners",
                    "last_activity_at",
                    "businesses_recorded",
                    "businesses_active",
                    "computed_at",
                )
            },
            "survival_12_pct": stats.survival_12,
            "survival_24_pct": stats.survival_24,
        }
        if stats is not None
        else None,
    }


@api.get(
    "/towns/",
    response=schemas.TownPage,
    auth=TokenAuth(Scope.TOWNS_READ),
    url_name="towns",
    summary="Les collectivités",
)
def list_towns(
    request, cursor: str = "", limit: int = DEFAULT_LIMIT, updated_since: datetime | None = None
):
    """Les collectivités ouvertes au public ; `updated_since` garde celles dont les
    chiffres ont été recalculés depuis."""
    towns = listed()
    if updated_since is not None:
        towns = towns.filter(since_filter(updated_since, "stats__computed_at") & ~Q(stats=None))
    rows, next_cursor = paginate(towns, cursor=cursor, limit=limit)
    return {"items": [town_out(town) for town in rows], "next_cursor": next_cursor}


def town_for(slug):
    town = listed().filter(slug=slug).first()
    if town is None:
        raise ApiProblem(404, f"Aucune collectivité ouverte « {slug} ».")
    return town


@api.get(
    "/towns/{slug}/",
    response=schemas.Town,
    auth=TokenAuth(Scope.TOWNS_READ),
    url_name="town",
    summary="Une collectivité",
)
def get_town(request, slug: str):
    return town_out(town_for(slug))


@api.get(
    "/towns/{slug}/open-data/",
    response=dict,
    auth=TokenAuth(Scope.OPEN_DATA_READ),
    url_name="town_open_data",
    summary="Les données ouvertes d’une collectivité",
)
def get_open_data(request, slug: str):
    """Les chiffres agrégés que la collectivité publie (Licence Ouverte), tels que sa page
    /donnees-ouvertes.json ; 404 si elle ne les publie pas."""
    town = town_for(slug)
    with schema_context(town.schema_name):
        try:
            opted_in()
        except Http404:
            raise ApiProblem(404, f"{town.name} ne publie pas de données ouvertes.") from None
        return published(town)
