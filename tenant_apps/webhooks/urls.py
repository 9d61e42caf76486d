"""The webhooks' settings pages, under /gestion/reglages/webhooks/ (admins only)."""

from django.urls import path

from tenant_apps.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.webhooks, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/activation/", views.switch, name="switch"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path("<int:pk>/envois/<int:delivery_pk>/", views.delivery, name="delivery"),
    path("<int:pk>/envois/<int:delivery_pk>/renvoyer/", views.replay, name="replay"),
]
