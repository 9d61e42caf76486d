"""The team's installed businesses, under /gestion/entreprises/."""

from django.urls import path

from tenant_apps.installations import views

app_name = "installations"

urlpatterns = [
    path("demandes/<str:reference>/", views.record, name="record"),
]
