"""Plans, subscriptions and gap-free numbered invoices (public schema)."""

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.dateformat import format as format_date

from shared_apps.referential.formats import french_number


class Plan(models.Model):
    code = models.SlugField("code", unique=True)
    name = models.CharField("nom", max_length=100)
    monthly_price_cents = models.PositiveIntegerField("prix mensuel HT (centimes)", default=0)
    max_staff = models.PositiveSmallIntegerField(
        "membres de l’équipe au plus", null=True, blank=True, help_text="Vide : sans limite."
    )
    description = models.CharField("description", max_length=255, blank=True)

    class Meta:
        verbose_name = "formule"
        ordering = ["monthly_price_cents", "name"]

    def __str__(self):
        return self.name

    @property
    def price_label(self):
        """« gratuit » or « 90 € HT par mois » (cents shown only when there are any)."""
        if not self.monthly_price_cents:
            return "gratuit"
        euros = french_number(self.monthly_price_cents / 100, 2, trim_zeros=True)
        return f"{euros} € HT par mois"

    @property
    def staff_label(self):
        return f"{self.max_staff} membres au plus" if self.max_staff else "équipe sans limite"


class Subscription(models.Model):
    territory = models.OneToOneField(
        "tenants.Territory", on_delete=models.CASCADE, related_name="subscription"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    started_on = models.DateField("depuis le", default=timezone.localdate)

    class Meta:
        verbose_name = "abonnement"

    def __str__(self):
        return f"{self.territory} — {self.plan}"


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", "Émise"
    PAID = "paid", "Payée"
    CANCELLED = "cancelled", "Annulée"


class Invoice(models.Model):
    number = models.CharField("numéro", max_length=20, unique=True)
    territory = models.ForeignKey(
        "tenants.Territory", on_delete=models.PROTECT, related_name="invoices"
    )
    plan_name = models.CharField("formule", max_length=100)
    # One calendar month, both days included: the 1st and the last day of the month.
    period_start = models.DateField("du")
    period_end = models.DateField("au (inclus)")
    amount_cents = models.PositiveIntegerField("montant HT (centimes)")
    vat_rate = models.DecimalField("TVA", max_digits=4, decimal_places=3, default=0.2)
    status = models.CharField(
        "statut", max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.ISSUED
    )
    issued_at = models.DateTimeField("émise le", default=timezone.now)
    paid_at = models.DateTimeField("payée le", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = "facture"
        ordering = ["-issued_at"]

    def __str__(self):
        return self.number

    @property
    def month_label(self):
        """The month the invoice covers: « octobre 2026 »."""
        return format_date(self.period_start, "F Y")

    @property
    def amount_label(self):
        return f"{french_number(self.amount_cents / 100, 2)} € HT"

    @property
    def amount_with_vat_cents(self):
        return round(self.amount_cents * (1 + float(self.vat_rate)))


class InvoiceCounter(models.Model):
    """The last invoice number of a year: numbers follow each other without gaps."""

    year = models.PositiveIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year} : {self.last}"

    @classmethod
    def next_number(cls, year):
        # The counter row stays locked until the invoice's transaction commits: concurrent
        # invoices wait for each other and a rolled-back one gives its number back.
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {cls._meta.db_table} (year, last) VALUES (%s, 1) "
                f"ON CONFLICT (year) DO UPDATE SET last = {cls._meta.db_table}.last + 1 "
                "RETURNING last",
                [year],
            )
            return f"BOL-{year}-{cursor.fetchone()[0]:06d}"
