"""The town's public pages of its calls: /appels/ and /appels/<id>/ (printed on posters)."""

from django.urls import path

from tenant_apps.calls import views

app_name = "calls"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("<int:pk>/candidater/", views.application, name="apply"),
    path("<int:pk>/candidature-envoyee/", views.applied, name="applied"),
]
