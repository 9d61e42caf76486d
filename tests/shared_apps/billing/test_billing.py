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


def anct_client(client):
    import pyotp
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = UserFactory(anct=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client.post("/compte/login/", {"login": user.email, "password": "motdepasse-de-test-2026"})
    client.post("/compte/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    return client


@pytest.mark.django_db
def test_the_billing_page_shows_each_plan_s_price(client):
    page = anct_client(client).get("/console/facturation/").text
    assert "90 € HT par mois" in page and "250 € HT par mois" in page
    assert "gratuit" in page and "5 membres au plus" in page
    assert "Commune — 90 € HT par mois</option>" in page


@pytest.mark.django_db
def test_an_invoice_covers_exactly_the_month_it_names(town_a, town_b, client):
    anct_client(client)
    for town in (town_a, town_b):
        client.post(f"/console/facturation/collectivites/{town.pk}/formule/", {"plan": "commune"})
    client.post(f"/console/facturation/collectivites/{town_a.pk}/facture/", {"mois": "2026-02"})
    client.post(f"/console/facturation/collectivites/{town_b.pk}/facture/", {"mois": "2026-12"})
    february = Invoice.objects.get(territory=town_a)
    december = Invoice.objects.get(territory=town_b)
    assert (february.period_start, february.period_end) == (date(2026, 2, 1), date(2026, 2, 28))
    assert (december.period_start, december.period_end) == (date(2026, 12, 1), date(2026, 12, 31))

    page = client.get("/console/facturation/").text
    assert "février 2026 (du 01/02/2026 au 28/02/2026)" in page
    assert "décembre 2026 (du 01/12/2026 au 31/12/2026)" in page and "90,00 € HT" in page
    pdf = client.get(f"/console/facturation/factures/{february.number}.pdf")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True).stdout
    text = b" ".join(text.split())  # the table's cell wraps its text
    assert "février 2026 : du 01/02/2026 au 28/02/2026".encode() in text
    assert b"01/03/2026" not in text and b"exclu" not in text
    rows = client.get("/console/facturation/export.csv").content.decode("utf-8-sig")
    assert f"{february.number};Ville A;" in rows and ";2026-02-01;2026-02-28;" in rows
