"""The team's tasks, under /gestion/taches/; the calendar feed's secret address too."""

from django.urls import path

from tenant_apps.tasks import views

app_name = "tasks"

urlpatterns = [
    path("", views.my_tasks, name="my_tasks"),
    path("demandes/<str:reference>/", views.add_to_demand, name="add_to_demand"),
    path("locaux/<int:pk>/", views.add_to_premises, name="add_to_premises"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path("<int:pk>/faite/", views.mark_done, name="done"),
    path("<int:pk>/a-faire/", views.mark_undone, name="undone"),
    path("agenda/", views.calendar, name="calendar"),
    path("agenda/lien/", views.calendar_link, name="calendar_link"),
    path("agenda/revoquer/", views.calendar_revoke, name="calendar_revoke"),
    path("agenda/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
