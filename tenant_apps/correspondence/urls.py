"""The correspondence's URLs, under /gestion/ (a demand's emails; the settings' templates)."""

from django.urls import path

from tenant_apps.correspondence import views

app_name = "correspondence"

urlpatterns = [
    path("demandes/<str:reference>/courriel/", views.compose, name="compose"),
    path(
        "demandes/<str:reference>/courriel/pieces-jointes/<int:pk>/",
        views.attachment,
        name="attachment",
    ),
    path("reglages/modeles-de-courriel/", views.templates, name="templates"),
    path("reglages/modeles-de-courriel/<int:pk>/", views.edit_template, name="edit_template"),
    path(
        "reglages/modeles-de-courriel/<int:pk>/supprimer/",
        views.delete_template,
        name="delete_template",
    ),
]
