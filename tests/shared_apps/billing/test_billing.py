"""Plans set limits, invoices are numbered without gaps (even concurrently), PDF and CSV."""

import subprocess
import threading
from datetime import date

import pytest
from django.db import connections, transaction

from shared_apps.billing.models import Invoice, InvoiceCounter, Plan, Subscription
from shared_apps.billing.services import PlanLimitReached, invoices_csv, issue_invoice
from tests.conftest import logged_in_client
from tests.factories import MembershipFactory, UserFactory


def test_numbers_follow_each_other_without_gaps_under_concurrent_creation(committed_db):
    from tenants.models import Territory

    town = Territory.objects.get(slug="ville-a")
    plan = Plan.objects.get(code="commune")
    Subscription.objects.update_or_create(territory=town, defaults={"plan": plan})
    before = set(Invoice.objects.values_list("number", flat=True))
    errors = []

    def issue(index):
        try:
            issue_invoice(town, date(2026, 1 + index % 12, 1), by=None)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(i,)) for i in range(12)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        new = sorted(set(Invoice.objects.values_list("number", flat=True)) - before)
        numbers = [int(number.rsplit("-", 1)[1]) for number in new]
        assert len(numbers) == 12
        assert numbers == list(range(numbers[0], numbers[0] + 12))
    finally:
        Invoice.objects.exclude(number__in=before).delete()
        InvoiceCounter.objects.all().delete()
        Subscription.objects.filter(territory=town).delete()


def test_a_rolled_back_invoice_gives_its_number_back(db, town_a):
    Subscription.objects.create(territory=town_a, plan=Plan.objects.get(code="commune"))
    first = issue_invoice(town_a, date(2026, 3, 1), by=None)
    with pytest.raises(RuntimeError), transaction.atomic():
        issue_invoice(town_a, date(2026, 4, 1), by=None)
        raise RuntimeError("échec après numérotation")
    second = issue_invoice(town_a, date(2026, 5, 1), by=None)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


@pytest.mark.django_db
def test_the_plan_limits_the_team(town_a):
    Subscription.objects.create(
        territory=town_a, plan=Plan.objects.create(code="mini", name="Mini", max_staff=1)
    )
    admin = MembershipFactory(territory=town_a, role="admin").user
    client = logged_in_client(town_a, admin)
    response = client.post("/gestion/reglages/equipe/", {"email": "x@example.fr", "role": "agent"})
    assert response.status_code == 400
    assert "permet 1 membres actifs" in response.text


@pytest.mark.django_db
def test_anct_staff_issue_pay_and_export_invoices(town_a, client):
    import pyotp
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = UserFactory(anct=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client.post("/compte/login/", {"login": user.email, "password": "motdepasse-de-test-2026"})
    client.post("/compte/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})

    client.post(f"/console/facturation/collectivites/{town_a.pk}/formule/", {"plan": "commune"})
    client.post(f"/console/facturation/collectivites/{town_a.pk}/facture/", {"mois": "2026-10"})
    invoice = Invoice.objects.get(territory=town_a)
    assert (invoice.amount_cents, invoice.period_start) == (9000, date(2026, 10, 1))
    client.post(f"/console/facturation/factures/{invoice.number}/paid/")
    invoice.refresh_from_db()
    assert invoice.status == "paid" and invoice.paid_at

    pdf = client.get(f"/console/facturation/factures/{invoice.number}.pdf")
    assert pdf["Content-Disposition"] == f'attachment; filename="facture-{invoice.number}.pdf"'
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True).stdout
    assert invoice.number.encode() in text and b"Ville A" in text and b"108,00" in text

    rows = client.get("/console/facturation/export.csv").content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Numéro;Collectivité")
    assert any(invoice.number in row and "90,00" in row and "Payée" in row for row in rows)


@pytest.mark.django_db
def test_town_staff_cannot_reach_billing(town_a, client):
    admin = MembershipFactory(territory=town_a, role="admin").user
    client.post("/compte/login/", {"login": admin.email, "password": "motdepasse-de-test-2026"})
    assert client.get("/console/facturation/").status_code == 403


@pytest.mark.django_db
def test_no_invoice_without_a_plan(town_b):
    with pytest.raises(PlanLimitReached, match="pas de formule"):
        issue_invoice(town_b, date(2026, 1, 1), by=None)
    assert invoices_csv(Invoice.objects.none()).decode("utf-8-sig").startswith("Numéro")
