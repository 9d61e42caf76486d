"""URLs of the onboarding on the national site."""

from django.urls import path

from shared_apps.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("", views.choose, name="choose"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("espace/", views.space, name="space"),
    path("code/", views.code, name="code"),
]
