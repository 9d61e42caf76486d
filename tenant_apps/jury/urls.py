"""A juror's pages, under /gestion/jury/ (a seat on one call's jury opens these only)."""

from django.urls import path

from tenant_apps.jury import views

app_name = "jury"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.call_page, name="call"),
    path("<int:pk>/candidatures/<int:application_pk>/", views.application_page, name="application"),
    path("<int:pk>/candidatures/<int:application_pk>/soumettre/", views.submit, name="submit"),
    path("<int:pk>/candidatures/<int:application_pk>/conflit/", views.conflict, name="conflict"),
    path(
        "<int:pk>/candidatures/<int:application_pk>/plan-d-affaires/",
        views.business_plan,
        name="business_plan",
    ),
]
