"""The NinjaAPI both hosts build on: their errors answered as French problems, their
docs served by the app itself (Swagger UI from django-ninja's bundled static files)."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from shared_apps.api.problems import ApiProblem, from_exception, problem

# Pydantic's error types, as a person reads them.
MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_type": "Un nombre entier est attendu.",
    "int_from_float": "Un nombre entier est attendu.",
    "float_parsing": "Un nombre est attendu.",
    "float_type": "Un nombre est attendu.",
    "bool_parsing": "true ou false est attendu.",
    "bool_type": "true ou false est attendu.",
    "string_type": "Un texte est attendu.",
    "date_parsing": "Une date AAAA-MM-JJ est attendue, par exemple 2027-09-15.",
    "date_from_datetime_parsing": "Une date AAAA-MM-JJ est attendue, par exemple 2027-09-15.",
    "date_type": "Une date AAAA-MM-JJ est attendue, par exemple 2027-09-15.",
    "datetime_parsing": "Une date et heure ISO 8601 est attendue, par exemple "
    "2026-12-01T08:00:00+01:00.",
    "datetime_from_date_parsing": "Une date et heure ISO 8601 est attendue, par exemple "
    "2026-12-01T08:00:00+01:00.",
    "datetime_type": "Une date et heure ISO 8601 est attendue.",
    "json_invalid": "Le corps de la requête n’est pas du JSON valide.",
    "model_attributes_type": "Un objet JSON est attendu.",
    "dict_type": "Un objet JSON est attendu.",
    "extra_forbidden": "Champ inconnu.",
}


def french_errors(errors):
    found = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        found.append(
            {
                "field": ".".join(location[1:] if location[:1] == ["query"] else location),
                "detail": MESSAGES.get(error.get("type"), "Valeur invalide."),
            }
        )
    return found


def new_api(*, title, description, namespace):
    api = NinjaAPI(
        title=title,
        version="1",
        description=description,
        urls_namespace=namespace,
        docs_url=None,  # served at /api/docs/ (views.docs), not under /api/v1/
        openapi_url="/openapi.json",
    )

    @api.exception_handler(ApiProblem)
    def api_problem(request, error):
        return from_exception(error)

    @api.exception_handler(ValidationError)
    def invalid(request, error):
        errors = french_errors(error.errors)
        detail = " ; ".join(f"{e['field'] or 'corps'} : {e['detail']}" for e in errors)
        return problem(422, f"Données invalides — {detail}", errors=errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, error):
        return problem(401)

    @api.exception_handler(HttpError)
    def http_error(request, error):
        return problem(error.status_code)

    @api.exception_handler(Http404)
    def not_found(request, error):
        return problem(404)

    return api
