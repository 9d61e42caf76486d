"""Error pages of every host (a town's, the national site, an unknown one): in French,
in the DSFR layout of the site they are on. Both URLconfs name these handlers, and
settings.CSRF_FAILURE_VIEW names csrf_failure; allauth's rate limits answer with the
URLconf's handler429."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# status: (title, lead, advice)
PAGES = {
    400: (
        "Requête incorrecte",
        "Le serveur n’a pas pu comprendre cette requête.",
        "Elle était peut-être incomplète, trop volumineuse ou mal formée. Revenez à la page "
        "précédente et réessayez ; si le problème persiste, contactez-nous.",
    ),
    403: (
        "Accès refusé",
        "Vous n’avez pas accès à cette page.",
        "Si vous pensez que c’est une erreur, demandez à l’administrateur de l’espace de vous "
        "ajouter à l’équipe.",
    ),
    "csrf": (
        "Formulaire expiré",
        "Pour votre sécurité, ce formulaire n’a pas été pris en compte : sa vérification "
        "(jeton CSRF) a échoué.",
        "Cela arrive quand la page est restée ouverte longtemps, après une déconnexion, ou si "
        "votre navigateur bloque les cookies de ce site. Revenez à la page précédente, "
        "rechargez-la, puis envoyez de nouveau le formulaire.",
    ),
    "host": (
        "Adresse non reconnue",
        "Ce service ne répond pas à l’adresse demandée.",
        "Vérifiez l’adresse saisie, ou retrouvez les collectivités sur le site national.",
    ),
    404: (
        "Page non trouvée",
        "La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.",
        "Si vous avez tapé l’adresse web dans le navigateur, vérifiez qu’elle est correcte. "
        "La page n’est peut-être plus disponible.",
    ),
    429: (
        "Trop de tentatives",
        "Vous avez fait trop de tentatives en peu de temps.",
        "Pour protéger les comptes, cette action est suspendue quelques minutes. Patientez "
        "un peu, puis réessayez.",
    ),
    500: (
        "Erreur inattendue",
        "Désolé, le service rencontre un problème. Nous y travaillons.",
        "Essayez de rafraîchir la page ou réessayez un peu plus tard. Ce que vous aviez déjà "
        "enregistré est conservé.",
    ),
}


def error_page(request, status, page=None):
    title, lead, advice = PAGES[page or status]
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "lead": lead, "advice": advice},
        status=status,
    )


def bad_request(request, exception=None):
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def too_many_requests(request):
    return error_page(request, 429)


def csrf_failure(request, reason=""):
    return error_page(request, 403, "csrf")


@requires_csrf_token
def server_error(request):
    # No context processors: the database may be what failed. The town is already in
    # memory (the middleware loaded it), the rest comes from the settings.
    tenant = getattr(request, "tenant", None)
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    title, lead, advice = PAGES[500]
    context = {
        "status": 500,
        "title": title,
        "lead": lead,
        "advice": advice,
        "territory": tenant if tenant is not None and not tenant.is_public else None,
        "service_name": "BoursOloco",
        "national_url": f"{settings.SITE_SCHEME}://{settings.BASE_DOMAIN}{port}/",
        "request": request,
    }
    return HttpResponseServerError(loader.get_template("errors/error.html").render(context))
