"""The API on the national host: /api/v1/ and /api/docs/."""

from django.urls import path

from shared_apps.api import national, views

urlpatterns = [
    path("api/v1/", national.api.urls),
    path("api/docs/", views.national_docs, name="api_docs"),
]
