"""URLs of the national site (public schema): BASE_DOMAIN."""

from django.urls import include, path

urlpatterns = [
    path("", include("shared_apps.api.urls_national")),
    path("console/api/", include("shared_apps.api.urls_console")),
    path("", include("shared_apps.national.urls")),
    path("inscription/", include("shared_apps.onboarding.urls")),
    path("partenaires/", include("shared_apps.partners.urls")),
    path("console/facturation/", include("shared_apps.billing.urls")),
    path("console/demandes-d-ouverture/", include("shared_apps.onboarding.urls_console")),
    path("compte/", include("allauth.urls")),
]

# French DSFR error pages (tenants.errors); allauth's rate limits answer with handler429.
handler400 = "tenants.errors.bad_request"
handler403 = "tenants.errors.permission_denied"
handler404 = "tenants.errors.page_not_found"
handler429 = "tenants.errors.too_many_requests"
handler500 = "tenants.errors.server_error"
