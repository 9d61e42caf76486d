"""URLs of a town's site: <slug>.BASE_DOMAIN."""

from django.urls import include, path

urlpatterns = [
    path("", include("tenant_apps.townsite.urls")),
    path("", include("tenant_apps.demands.urls")),
    path("", include("shared_apps.national.urls_legal")),
    path("gestion/", include("tenant_apps.backoffice.urls")),
    path("compte/", include("allauth.urls")),
]

handler403 = "shared_apps.national.views.permission_denied"
handler404 = "shared_apps.national.views.page_not_found"
handler500 = "shared_apps.national.views.server_error"
