"""The back-office's trials, under /gestion/essais/."""

from django.urls import path

from tenant_apps.trials import views

app_name = "trials"

urlpatterns = [
    path("", views.trial_list, name="list"),
    path("appel/<int:call_pk>/demarrer/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/points/<int:milestone_pk>/", views.milestone_note, name="milestone"),
    path("<int:pk>/issue/", views.outcome, name="outcome"),
    path("<int:pk>/un-an-apres/", views.a_year_later, name="a_year_later"),
]
