"""The national API's tokens, in the ANCT console: /console/api/."""

from django.urls import path

from shared_apps.api import views

app_name = "api_console"

urlpatterns = [
    path("", views.national_tokens, name="tokens"),
    path("<int:pk>/revoquer/", views.national_revoke, name="revoke"),
]
