"""The porteur's proposal URLs, under their follow-up link (/suivi/<token>/propositions/)
and on a catalogue premises (/locaux/<id>/interet/)."""

from django.urls import path

from tenant_apps.proposals.views import porteur

app_name = "proposals"

urlpatterns = [
    path("suivi/<str:token>/propositions/locaux/", porteur.browse, name="browse"),
    path(
        "suivi/<str:token>/propositions/interet/<int:premises_pk>/",
        porteur.interest,
        name="interest",
    ),
    path("suivi/<str:token>/propositions/<int:pk>/", porteur.answer, name="answer"),
    path("locaux/<int:premises_pk>/interet/", porteur.interest_by_email, name="interest_by_email"),
]
