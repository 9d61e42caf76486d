"""URLs of a town's back-office, under /gestion/."""

from django.urls import path

from tenant_apps.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("demandes/", views.demand_list, name="demand_list"),
    path("locaux/", views.premises_list, name="premises_list"),
    path("reglages/", views.settings_form, name="settings"),
]
