"""A town's API tokens, in its settings: /gestion/reglages/api/."""

from django.urls import path

from shared_apps.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.town_tokens, name="tokens"),
    path("<int:pk>/revoquer/", views.town_revoke, name="revoke"),
]
