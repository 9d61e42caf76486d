"""The console's claims, under /console/demandes-d-ouverture/ on the national site."""

from django.urls import path

from shared_apps.onboarding import console

app_name = "onboarding_console"

urlpatterns = [
    path("", console.claims, name="claims"),
    path("<int:pk>/<slug:decision>/", console.decide, name="decide"),
]
