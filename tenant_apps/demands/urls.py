"""The porteur's URLs: /demande/ and /suivi/ (printed on posters and in emails)."""

from django.urls import path

from tenant_apps.demands.views import followup, form

app_name = "demands"

urlpatterns = [
    path("demande/", form.step, name="start"),
    path("demande/envoyee/", form.done, name="done"),
    path("demande/integree/", form.embedded, name="embedded"),
    path("demande/<slug:slug>/", form.step, name="step"),
    path("suivi/nouveau-lien/", followup.new_link, name="new_link"),
    path("suivi/<str:token>/", followup.followup, name="followup"),
    path("suivi/<str:token>/action/", followup.act, name="act"),
    path("suivi/<str:token>/toujours/", followup.still_searching, name="still_searching"),
    path("suivi/<str:token>/modifier/", followup.update_needs, name="update"),
    path("suivi/<str:token>/effacer/", followup.erase, name="erase"),
]
