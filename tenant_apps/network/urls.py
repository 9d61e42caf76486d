"""URLs of the partner portal on a town, under /partenaires/ (registration itself is
shared with the national site: shared_apps.partners.urls)."""

from django.urls import path

from tenant_apps.network.views import links, portal

app_name = "network"

urlpatterns = [
    path("", portal.home, name="home"),
    path("rejoindre/", portal.join, name="join"),
    path("demandes/", portal.demands, name="demands"),
    path("demandes/<str:reference>/", portal.demand, name="demand"),
    path("demandes/<str:reference>/reponse/", portal.answer, name="answer"),
    path("alertes/", portal.alert_settings, name="settings"),
    path("locaux/", portal.premises_list, name="premises"),
    path("locaux/nouveau/", portal.premises_form, name="premises_new"),
    path("locaux/<int:pk>/", portal.premises_form, name="premises_edit"),
    path("reponse/<str:token>/", links.answer, name="answer_link"),
    path("desabonnement/<str:token>/", links.unsubscribe, name="unsubscribe"),
]
