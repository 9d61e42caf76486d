"""The team's proposal URLs, under /gestion/propositions/."""

from django.urls import path

from tenant_apps.proposals.views import backoffice

app_name = "proposals_admin"

urlpatterns = [
    path(
        "demandes/<str:reference>/locaux/<int:premises_pk>/",
        backoffice.propose_one,
        name="propose",
    ),
    path("locaux/<int:pk>/meilleures-demandes/", backoffice.propose_best, name="propose_best"),
]
