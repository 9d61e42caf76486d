"""The dashboard's period filter."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from tenant_apps.impact.kpis import Period

PRESETS = [
    ("12m", "Les 12 derniers mois"),
    ("3m", "Les 3 derniers mois"),
    ("30j", "Les 30 derniers jours"),
    ("annee", "L’année en cours"),
    ("24m", "Les 24 derniers mois"),
    ("dates", "Entre deux dates"),
]
DATE = {
    "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    "input_formats": ["%Y-%m-%d", "%d/%m/%Y"],
    "error_messages": {"invalid": "Saisissez une date valide, par exemple 01/01/2026."},
}


class PeriodForm(forms.Form):
    periode = forms.ChoiceField(label="Période", choices=PRESETS, required=False)
    du = forms.DateField(label="Du", required=False, **DATE)
    au = forms.DateField(label="Au", required=False, **DATE)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("periode") != "dates":
            return cleaned
        start, end = cleaned.get("du"), cleaned.get("au")
        if not start and not self.has_error("du"):
            self.add_error("du", "Indiquez le premier jour de la période.")
        if not end and not self.has_error("au"):
            self.add_error("au", "Indiquez le dernier jour de la période.")
        if start and end:
            if start > end:
                self.add_error("au", "Le dernier jour doit suivre le premier.")
            elif (end - start).days > 3660:
                self.add_error("du", "Dix ans au plus.")
        for name in ("du", "au"):
            day = cleaned.get(name)
            if day and not 2000 <= day.year <= 2100 and not self.has_error(name):
                self.add_error(name, "Choisissez une date entre l’an 2000 et l’an 2100.")
        return cleaned

    def period(self, today=None):
        """The chosen period; the last 12 months when the filter is invalid or empty."""
        today = today or timezone.localdate()
        choice = self.cleaned_data.get("periode") if self.is_valid() else "12m"
        if choice == "dates":
            return Period(self.cleaned_data["du"], self.cleaned_data["au"])
        if choice == "3m":
            return Period.last_months(3, today)
        if choice == "30j":
            return Period(today - timedelta(days=29), today)
        if choice == "annee":
            return Period(today.replace(month=1, day=1), today)
        if choice == "24m":
            return Period.last_months(24, today)
        return Period.last_months(12, today)
