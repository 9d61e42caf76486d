"""URLs of the communication kit, under /gestion/kit/."""

from django.urls import path

from tenant_apps.kit import views

app_name = "kit"

urlpatterns = [
    path("", views.kit, name="kit"),
    path("affiche.pdf", views.download, {"document": "poster"}, name="poster"),
    path("flyer.pdf", views.download, {"document": "flyer"}, name="flyer"),
    path("reseaux-sociaux.png", views.download, {"document": "social"}, name="social"),
    path("qr.svg", views.download, {"document": "qr"}, name="qr"),
    path("appels/<int:pk>.pdf", views.call_download, {"document": "pdf"}, name="call_pdf"),
    path("appels/<int:pk>-qr.svg", views.call_download, {"document": "svg"}, name="call_qr"),
]
