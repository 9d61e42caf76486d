"""URLs of a town's site: <slug>.BASE_DOMAIN."""

from django.conf import settings
from django.urls import include, path, re_path

from shared_apps.national.views import consult
from shared_apps.onboarding.views import welcome
from tenant_apps.townsite.views import own_media

urlpatterns = [
    path("", include("tenant_apps.townsite.urls")),
    path("", include("tenant_apps.demands.urls")),
    path("", include("tenant_apps.portability.urls")),
    path("", include("tenant_apps.applicant_alerts.urls")),
    path("", include("tenant_apps.proposals.urls")),
    path("locaux/", include("tenant_apps.premises.urls")),
    path("appels/", include("tenant_apps.calls.urls")),
    path("suivi/<str:token>/appels/", include("tenant_apps.calls.urls_followup")),
    path("", include("shared_apps.national.urls_legal")),
    path("", include("tenant_apps.impact.urls")),
    path("gestion/kit/", include("tenant_apps.kit.urls")),
    path("gestion/partenaires/", include("tenant_apps.network.urls_backoffice")),
    path("gestion/propositions/", include("tenant_apps.proposals.urls_backoffice")),
    path("gestion/echanges/", include("tenant_apps.exchanges.urls")),
    path("gestion/taches/", include("tenant_apps.tasks.urls")),
    path("gestion/appels/", include("tenant_apps.calls.urls_backoffice")),
    path("gestion/appels/", include("tenant_apps.jury.urls_backoffice")),
    path("gestion/jury/", include("tenant_apps.jury.urls")),
    path("gestion/essais/", include("tenant_apps.trials.urls")),
    path("gestion/entreprises/", include("tenant_apps.installations.urls")),
    path("gestion/demandes/", include("tenant_apps.demands.urls_backoffice")),
    path("partenaires/propositions/", include("tenant_apps.proposals.urls_portal")),
    path("partenaires/appels/", include("tenant_apps.calls.urls_portal")),
    path("partenaires/", include(("shared_apps.partners.urls_registration", "partners"))),
    path("partenaires/", include("tenant_apps.network.urls")),
    path("gestion/notifications/", include("tenant_apps.notifications.urls")),
    path("gestion/reglages/webhooks/", include("tenant_apps.webhooks.urls")),
    path("gestion/reglages/api/", include("shared_apps.api.urls_backoffice")),
    path("", include("shared_apps.api.urls_town")),
    path("gestion/reglages/archive/", include("tenant_apps.portability.urls_backoffice")),
    path("gestion/", include("tenant_apps.correspondence.urls")),
    path("gestion/", include("tenant_apps.backoffice.urls")),
    path("compte/bienvenue/<str:token>/", welcome, name="welcome"),
    path("compte/consultation/<str:token>/", consult, name="consult"),
    path("compte/", include("allauth.urls")),
]

if settings.DEBUG:
    # In development Django serves the town's own uploads; in production nginx does.
    urlpatterns.append(re_path(r"^media/(?P<schema>[a-z0-9_]+)/(?P<path>.+)$", own_media))

if settings.BENCH_FLOOR_VIEW:
    from bench.floor_view import floor

    urlpatterns.append(path("banc/plancher/", floor, name="bench_floor"))

# French DSFR error pages (tenants.errors); allauth's rate limits answer with handler429.
handler400 = "tenants.errors.bad_request"
handler403 = "tenants.errors.permission_denied"
handler404 = "tenants.errors.page_not_found"
handler429 = "tenants.errors.too_many_requests"
handler500 = "tenants.errors.server_error"
