"""URLs of the national site (public schema): BASE_DOMAIN."""

from django.urls import include, path

urlpatterns = [
    path("", include("shared_apps.national.urls")),
    path("inscription/", include("shared_apps.onboarding.urls")),
    path("partenaires/", include("shared_apps.partners.urls")),
    path("console/facturation/", include("shared_apps.billing.urls")),
    path("console/demandes-d-ouverture/", include("shared_apps.onboarding.urls_console")),
    path("compte/", include("allauth.urls")),
]

handler403 = "shared_apps.national.views.permission_denied"
handler404 = "shared_apps.national.views.page_not_found"
handler500 = "shared_apps.national.views.server_error"
