"""URLs of the national site."""

from django.urls import include, path

from shared_apps.national import views

app_name = "national"

urlpatterns = [
    path("", views.home, name="home"),
    path("console/", views.console, name="console"),
    path("console/journal/", views.journal, name="journal"),
    path("console/partenaires/", views.partners, name="partners"),
    path("console/partenaires/<int:pk>/", views.moderate_partner, name="moderate_partner"),
    path("console/collectivites/<int:pk>/consulter/", views.view_as, name="view_as"),
    path("console/collectivites/<int:pk>/export.zip", views.town_export, name="town_export"),
    path(
        "console/collectivites/<int:pk>/<slug:action>/", views.console_action, name="console_action"
    ),
    path("", include("shared_apps.national.urls_legal")),
]
