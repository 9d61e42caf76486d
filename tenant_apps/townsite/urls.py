"""URLs of a town's public site."""

from django.urls import path

from tenant_apps.townsite import views

app_name = "townsite"

urlpatterns = [
    path("", views.home, name="home"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
]
