"""ProConnect's URLs, under /compte/ on every host (allauth includes each provider's)."""

from django.urls import path

from shared_apps.proconnect import views

urlpatterns = [
    path("proconnect/login/", views.login, name="proconnect_login"),
    path("proconnect/login/callback/", views.callback, name="proconnect_callback"),
]
