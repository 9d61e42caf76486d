"""URLs of the national site."""

from django.urls import include, path

from shared_apps.national import views

app_name = "national"

urlpatterns = [
    path("", views.home, name="home"),
    path("console/", views.console, name="console"),
    path("", include("shared_apps.national.urls_legal")),
]
