"""The API on a town's host: /api/v1/ and /api/docs/."""

from django.urls import path

from shared_apps.api import town, views

urlpatterns = [
    path("api/v1/", town.api.urls),
    path("api/docs/", views.town_docs, name="api_docs"),
]
