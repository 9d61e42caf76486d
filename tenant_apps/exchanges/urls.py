"""The team's exchanges about a demand, under /gestion/echanges/."""

from django.urls import path

from tenant_apps.exchanges import views

app_name = "exchanges"

urlpatterns = [
    path("demandes/<str:reference>/", views.log, name="log"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
]
