"""The porteur's own data, next to their follow-up page (/suivi/<token>/)."""

from django.urls import path

from tenant_apps.portability import views

app_name = "portability_porteur"

urlpatterns = [
    path("suivi/<str:token>/mes-donnees.json", views.porteur_json, name="json"),
    path("suivi/<str:token>/mes-donnees.pdf", views.porteur_pdf_view, name="pdf"),
]
