"""The public catalogue's URLs: /locaux/ and /locaux/<id>/ on a town's site."""

from django.urls import path

from tenant_apps.premises import views

app_name = "catalogue"

urlpatterns = [
    path("", views.catalogue, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
]
