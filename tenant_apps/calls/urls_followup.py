"""Applying from the porteur's follow-up page: /suivi/<token>/appels/<id>/ (the token is
the follow-up page's own signed link)."""

from django.urls import path

from tenant_apps.calls import views

app_name = "calls_followup"

urlpatterns = [
    path("<int:pk>/", views.followup_apply, name="apply"),
]
