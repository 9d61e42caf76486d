"""Issuing invoices, their PDF and CSV; the limits a plan sets."""

import csv
import io
from datetime import date, timedelta

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from shared_apps.billing.models import Invoice, InvoiceCounter, InvoiceStatus, Subscription
from shared_apps.referential.formats import french_number


class PlanLimitReached(Exception):
    """What the plan does not allow; the message is for people."""


def plan_of(territory):
    subscription = Subscription.objects.select_related("plan").filter(territory=territory).first()
    return subscription.plan if subscription else None


def check_staff_seat(territory):
    """Raise PlanLimitReached when one more active member would exceed the plan."""
    from shared_apps.accounts.models import Membership

    plan = plan_of(territory)
    if plan is None or plan.max_staff is None:
        return
    active = Membership.objects.active().filter(territory=territory).count()
    if active >= plan.max_staff:
        raise PlanLimitReached(
            f"Votre formule « {plan.name} » permet {plan.max_staff} membres actifs dans "
            "l’équipe : désactivez un membre ou demandez à l’ANCT de changer de formule."
        )


@transaction.atomic
def issue_invoice(territory, month, *, by):
    """The invoice of `month` (a date in it) for the town's plan, numbered without gaps."""
    plan = plan_of(territory)
    if plan is None:
        raise PlanLimitReached(f"{territory.name} n’a pas de formule : choisissez-en une d’abord.")
    start = month.replace(day=1)
    # The month's last day, included (the next month's first day would name two months).
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1) - timedelta(days=1)
    return Invoice.objects.create(
        number=InvoiceCounter.next_number(timezone.localdate().year),
        territory=territory,
        plan_name=plan.name,
        period_start=start,
        period_end=end,
        amount_cents=plan.monthly_price_cents,
        issued_by=by,
    )


def euros(cents):
    # A plain space between thousands: an invoice is drawn again at each download and
    # must read as the one sent.
    return french_number(cents / 100, 2, thousands=" ")


def spreadsheet_euros(cents):
    # No separator between thousands, so that spreadsheets read the figure as a number.
    return french_number(cents / 100, 2, thousands="")


def invoice_pdf(invoice):
    from weasyprint import HTML

    html = render_to_string(
        "billing/invoice.html",
        {
            "invoice": invoice,
            "euros_ht": euros(invoice.amount_cents),
            "euros_ttc": euros(invoice.amount_with_vat_cents),
            "vat_percent": f"{float(invoice.vat_rate) * 100:.0f}",
        },
    )
    return HTML(string=html).write_pdf()


def invoices_csv(invoices):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            "Numéro",
            "Collectivité",
            "SIREN",
            "Formule",
            "Du",
            "Au",
            "Montant HT (€)",
            "TVA",
            "Montant TTC (€)",
            "Statut",
            "Émise le",
            "Payée le",
        ]
    )
    for invoice in invoices.select_related("territory"):
        writer.writerow(
            [
                invoice.number,
                invoice.territory.name,
                invoice.territory.siren or "",
                invoice.plan_name,
                invoice.period_start.isoformat(),
                invoice.period_end.isoformat(),
                spreadsheet_euros(invoice.amount_cents),
                f"{invoice.vat_rate:.3f}",
                spreadsheet_euros(invoice.amount_with_vat_cents),
                invoice.get_status_display(),
                timezone.localtime(invoice.issued_at).date().isoformat(),
                timezone.localtime(invoice.paid_at).date().isoformat() if invoice.paid_at else "",
            ]
        )
    return out.getvalue().encode("utf-8")


def set_status(invoice, status):
    if invoice.status != InvoiceStatus.ISSUED:
        raise PlanLimitReached("Seule une facture émise peut être payée ou annulée.")
    invoice.status = status
    invoice.paid_at = timezone.now() if status == InvoiceStatus.PAID else None
    invoice.save(update_fields=["status", "paid_at"])
