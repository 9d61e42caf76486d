"""URLs of the dashboard (under /gestion/) and of the open data (public, stable)."""

from django.urls import path

from tenant_apps.impact import views

app_name = "impact"

urlpatterns = [
    path("gestion/tableau-de-bord/", views.dashboard_page, name="dashboard"),
    path("gestion/tableau-de-bord/pdf/", views.dashboard_pdf, name="dashboard_pdf"),
    path("donnees-ouvertes/", views.open_data_page, name="open_data"),
    path("donnees-ouvertes.json", views.open_data_json, name="open_data_json"),
    path("donnees-ouvertes.csv", views.open_data_csv, name="open_data_csv"),
]
