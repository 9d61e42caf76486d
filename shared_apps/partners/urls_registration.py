"""Partner registration, on the national site and on every town (under /partenaires/)."""

from django.urls import path

from shared_apps.partners import views

urlpatterns = [
    path("inscription/", views.register, name="register"),
    path("inscription/code/", views.register_code, name="register_code"),
    path("siret/", views.siret, name="siret"),
]
