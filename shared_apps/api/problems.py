"""Errors of the API as RFC 9457 problem details (application/problem+json), and the
middleware that keeps every answer under /api/ in JSON: whatever answers there — the
API itself, Django's URL resolver (404), an unknown, suspended or unverified town, a
crash (500) — the client reads a problem, never an HTML page. It also gives the API's
successful GETs an ETag and answers If-None-Match with 304."""

import json

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, set_response_etag

API_PREFIX = "/api/"
DOCS_PATH = "/api/docs/"
CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Requête incorrecte",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Ressource introuvable",
    405: "Méthode non permise",
    406: "Format non disponible",
    409: "Conflit",
    413: "Requête trop volumineuse",
    415: "Format de la requête non pris en charge",
    422: "Données invalides",
    429: "Trop de requêtes",
    500: "Erreur inattendue",
    503: "Service indisponible",
}
DETAILS = {
    400: "La requête est mal formée.",
    401: "Ajoutez l’en-tête « Authorization: Bearer <jeton> » avec un jeton valide de cet espace.",
    403: "Ce jeton n’a pas le droit de faire cette action.",
    404: "Aucune ressource à cette adresse. La liste des adresses est dans /api/v1/openapi.json.",
    405: "Cette adresse n’accepte pas cette méthode.",
    429: "Ce jeton a fait trop de requêtes : réessayez après le délai indiqué (Retry-After).",
    500: "Le service a rencontré un problème. Réessayez plus tard.",
    503: "Cet espace est suspendu ou fermé.",
}


class ApiProblem(Exception):
    """Raised by the API's code: answered as a problem with `status`."""

    def __init__(self, status, detail=None, *, errors=None, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail or DETAILS.get(status, "")
        self.errors = errors
        self.headers = headers or {}


def problem(status, detail=None, *, errors=None, headers=None):
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, "Erreur"),
        "status": status,
        "detail": detail or DETAILS.get(status, ""),
    }
    if errors:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def from_exception(error):
    return problem(error.status, error.detail, errors=error.errors, headers=error.headers)


class ApiMiddleware:
    """First in MIDDLEWARE: sees what every other layer answered for /api/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or request.path == DOCS_PATH:
            return response
        if response.status_code >= 400 and response.get("Content-Type") != CONTENT_TYPE:
            headers = {
                name: response[name]
                for name in ("Allow", "Retry-After")
                if response.has_header(name)
            }
            return problem(response.status_code, headers=headers)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            set_response_etag(response)
            return (
                get_conditional_response(request, etag=response["ETag"], response=response)
                or response
            )
        return response
