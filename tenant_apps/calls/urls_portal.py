"""The calls in the partner portal, under /partenaires/appels/: the managing partner
drafts a call for its premises; the town's team publishes it."""

from django.urls import path

from tenant_apps.calls import views

app_name = "calls_portal"

urlpatterns = [
    path("", views.portal_list, name="list"),
    path("nouveau/", views.portal_form, name="create"),
    path("<int:pk>/modifier/", views.portal_form, name="edit"),
]
