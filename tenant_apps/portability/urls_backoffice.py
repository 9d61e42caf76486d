"""The town's archive, for its admins, under /gestion/reglages/archive/."""

from django.urls import path

from tenant_apps.portability import views

app_name = "portability"

urlpatterns = [
    path("", views.archives, name="archives"),
    path("<int:pk>/etat/", views.archive_state, name="archive_state"),
    path("<int:pk>/fichier/", views.archive_file, name="archive_file"),
]
