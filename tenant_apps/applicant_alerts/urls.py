"""The porteur's premises alerts: the switch of the follow-up page and the unsubscribe
link of the emails, both under /suivi/."""

from django.urls import path

from tenant_apps.applicant_alerts import views

app_name = "applicant_alerts"

urlpatterns = [
    path("suivi/<str:token>/alertes/", views.switch, name="switch"),
    path("suivi/alertes/desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
