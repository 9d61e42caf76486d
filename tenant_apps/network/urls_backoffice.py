"""URLs of the network in a town's back-office, under /gestion/partenaires/."""

from django.urls import path

from tenant_apps.network.views import backoffice

app_name = "network_admin"

urlpatterns = [
    path("", backoffice.network, name="network"),
    path("inviter/", backoffice.invite_partner, name="invite"),
    path("<int:pk>/decision/", backoffice.decide, name="decide"),
]
