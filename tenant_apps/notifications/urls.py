"""The team's notifications, under /gestion/notifications/."""

from django.urls import path

from tenant_apps.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tout-lire/", views.read_all, name="read_all"),
    path("reglages/", views.preferences, name="preferences"),
    path("<int:pk>/ouvrir/", views.open_notification, name="open"),
    path("<int:pk>/lue/", views.read, name="read"),
]
