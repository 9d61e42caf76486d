"""The back-office's calls, under /gestion/appels/."""

from django.urls import path

from tenant_apps.calls import views

app_name = "calls_admin"

urlpatterns = [
    path("", views.backoffice_list, name="list"),
    path("nouveau/", views.create, name="create"),
    path("<int:pk>/", views.backoffice_detail, name="detail"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/publier/", views.publish, name="publish"),
    path(
        "<int:pk>/candidatures/<int:application_pk>/plan-d-affaires/",
        views.business_plan,
        name="business_plan",
    ),
]
