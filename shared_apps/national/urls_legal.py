"""Legal pages, served on the national site and on every town's site."""

from django.urls import path

from shared_apps.national import views

urlpatterns = [
    path("mentions-legales/", views.legal_page, {"page": "mentions"}, name="legal_mentions"),
    path("accessibilite/", views.legal_page, {"page": "accessibilite"}, name="legal_accessibility"),
    path("donnees-personnelles/", views.legal_page, {"page": "donnees"}, name="legal_privacy"),
    path("plan-du-site/", views.legal_page, {"page": "plan"}, name="legal_sitemap"),
    path("conditions-utilisation/", views.legal_page, {"page": "conditions"}, name="legal_terms"),
]
