"""URLs of the partners on the national site, under /partenaires/."""

from django.urls import include, path

from shared_apps.partners import views

app_name = "partners"

urlpatterns = [
    path("", views.home, name="home"),
    path("collectivites/<int:pk>/rejoindre/", views.join, name="join"),
    path("membres/<int:pk>/<slug:decision>/", views.decide_member, name="decide_member"),
    path("", include("shared_apps.partners.urls_registration")),
]
