"""The team's duplicate pages, under /gestion/demandes/."""

from django.urls import path

from tenant_apps.demands.views import merge

app_name = "demands_admin"

urlpatterns = [
    path("<str:reference>/fusion/<str:other>/", merge.merge_demands, name="merge"),
]
