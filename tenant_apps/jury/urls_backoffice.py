"""The team's jury pages of a call, under /gestion/appels/<id>/."""

from django.urls import path

from tenant_apps.jury import views

app_name = "jury_admin"

urlpatterns = [
    path("<int:pk>/jury/", views.jurors, name="jurors"),
    path("<int:pk>/jury/<int:juror_pk>/retirer/", views.revoke, name="revoke"),
    path("<int:pk>/cloturer/", views.close, name="close"),
    path("<int:pk>/classement/", views.ranking, name="ranking"),
    path("<int:pk>/decision/", views.decision, name="decision"),
]
