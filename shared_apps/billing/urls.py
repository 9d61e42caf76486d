"""URLs of billing in the console, under /console/facturation/."""

from django.urls import path

from shared_apps.billing import views

app_name = "billing"

urlpatterns = [
    path("", views.billing, name="billing"),
    path("export.csv", views.export, name="export"),
    path("collectivites/<int:pk>/formule/", views.change_plan, name="change_plan"),
    path("collectivites/<int:pk>/facture/", views.new_invoice, name="new_invoice"),
    path("factures/<str:number>.pdf", views.invoice_file, name="invoice_file"),
    path("factures/<str:number>/<slug:status>/", views.invoice_status, name="invoice_status"),
]
