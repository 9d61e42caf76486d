"""A partner's proposal URLs in the partner portal, under /partenaires/propositions/."""

from django.urls import path

from tenant_apps.proposals.views import portal

app_name = "proposals_portal"

urlpatterns = [
    path("locaux/<int:pk>/", portal.premises, name="premises"),
    path("locaux/<int:pk>/demandes/<str:reference>/", portal.propose_one, name="propose"),
    path("locaux/<int:pk>/meilleures-demandes/", portal.propose_best, name="propose_best"),
]
