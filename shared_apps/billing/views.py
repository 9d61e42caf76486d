"""Billing in the ANCT console: plans of the towns, invoices, PDF and CSV."""

from datetime import date

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from shared_apps.accounts.perms import anct_staff_required
from shared_apps.billing.models import Invoice, InvoiceStatus, Plan, Subscription
from shared_apps.billing.services import (
    PlanLimitReached,
    invoice_pdf,
    invoices_csv,
    issue_invoice,
    set_status,
)
from shared_apps.national.models import AuditEntry
from tenants.models import Territory


@anct_staff_required
def billing(request):
    return render(
        request,
        "billing/billing.html",
        {
            "towns": Territory.objects.towns().select_related("subscription__plan"),
            "plans": Plan.objects.all(),
            "invoices": Invoice.objects.select_related("territory")[:100],
            "today": date.today(),
            "title": "Facturation",
        },
    )


@require_POST
@anct_staff_required
def change_plan(request, pk):
    town = get_object_or_404(Territory.objects.towns(), pk=pk)
    plan = Plan.objects.filter(code=request.POST.get("plan", "")).first()
    if plan is None:
        messages.error(request, "Choisissez une formule.")
        return redirect("billing:billing")
    Subscription.objects.update_or_create(territory=town, defaults={"plan": plan})
    AuditEntry.objects.create(
        actor=request.user, action="formule", territory=town, details=plan.name
    )
    messages.success(request, f"{town.name} : formule « {plan.name} ».")
    return redirect("billing:billing")


@require_POST
@anct_staff_required
def new_invoice(request, pk):
    town = get_object_or_404(Territory.objects.towns(), pk=pk)
    try:
        month = date.fromisoformat(request.POST.get("mois", "") + "-01")
    except ValueError:
        messages.error(request, "Indiquez le mois à facturer, par exemple 2026-11.")
        return redirect("billing:billing")
    try:
        invoice = issue_invoice(town, month, by=request.user)
    except PlanLimitReached as error:
        messages.error(request, str(error))
        return redirect("billing:billing")
    AuditEntry.objects.create(
        actor=request.user, action="facture", territory=town, details=invoice.number
    )
    messages.success(request, f"Facture {invoice.number} émise pour {town.name}.")
    return redirect("billing:billing")


@require_POST
@anct_staff_required
def invoice_status(request, number, status):
    if status not in (InvoiceStatus.PAID, InvoiceStatus.CANCELLED):
        return redirect("billing:billing")
    with transaction.atomic():
        invoice = get_object_or_404(Invoice.objects.select_for_update(), number=number)
        try:
            set_status(invoice, status)
        except PlanLimitReached as error:
            messages.error(request, str(error))
            return redirect("billing:billing")
        AuditEntry.objects.create(
            actor=request.user,
            action=f"facture {invoice.get_status_display().lower()}",
            territory=invoice.territory,
            details=invoice.number,
        )
    return redirect("billing:billing")


@anct_staff_required
def invoice_file(request, number):
    invoice = get_object_or_404(Invoice.objects.select_related("territory"), number=number)
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"facture-{invoice.number}.pdf"
    )
    return response


@anct_staff_required
def export(request):
    response = HttpResponse(
        invoices_csv(Invoice.objects.order_by("number")), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, "factures.csv")
    return response
