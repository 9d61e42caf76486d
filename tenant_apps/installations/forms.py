"""The installed business of a demand: SIRET (looked up in the directory when it answers),
name, opening date and premises."""

import re
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from shared_apps.referential.naf import naf_codes
from shared_apps.referential.validators import validate_siret
from tenant_apps.installations.models import Business
from tenant_apps.premises.models import Premises

# An opening may be recorded a little ahead (the keys are handed over, the shop opens
# next month), not further.
OPENING_AHEAD_DAYS = 183


def clean_siret_value(raw):
    """'552 100 554 00013' → '55210055400013', or ValidationError in French."""
    siret = re.sub(r"[\s.]", "", raw or "")
    if not siret:
        raise ValidationError("Saisissez le SIRET de l’établissement (14 chiffres).")
    try:
        validate_siret(siret)
    except ValidationError as error:
        if error.code == "siret_checksum":
            raise ValidationError(
                "Ce SIRET n’existe pas : vérifiez les 14 chiffres (ils figurent sur l’avis "
                "de situation Sirene ou l’extrait Kbis).",
                code="siret_checksum",
            ) from None
        raise
    return siret


def initial_for(demand, business):
    """A new business starts from the demand's SIRET and the day it was installed."""
    if business is not None:
        return {}
    return {
        "siret": demand.siret,
        "opened_on": timezone.localdate(demand.status_changed_at).isoformat(),
    }


class BusinessForm(forms.ModelForm):
    siret = forms.CharField(
        label="SIRET de l’établissement",
        max_length=20,
        help_text="14 chiffres ; « Rechercher » remplit le reste depuis le répertoire Sirene.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "Saisissez le SIRET de l’établissement (14 chiffres)."},
    )
    opened_on = forms.DateField(
        label="Date d’ouverture",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Indiquez la date d’ouverture de l’établissement.",
            "invalid": "Saisissez une date valide, par exemple 15/09/2026.",
        },
    )

    class Meta:
        model = Business
        fields = ["siret", "name", "address", "naf_code", "opened_on", "premises"]
        labels = {
            "name": "Nom de l’entreprise ou enseigne",
            "address": "Adresse de l’établissement",
            "naf_code": "Code NAF",
            "premises": "Local occupé",
        }
        help_texts = {
            "naf_code": "Par exemple 47.24Z (facultatif).",
            "premises": "Un local de l’inventaire de la ville (facultatif).",
        }
        error_messages = {"name": {"required": "Indiquez le nom de l’entreprise."}}

    def __init__(self, *args, demand, **kwargs):
        # Its own ids: the form sits on the demand page among others.
        kwargs.setdefault("auto_id", "entreprise-%s")
        super().__init__(*args, **kwargs)
        self.demand = demand
        self.fields["premises"].queryset = Premises.objects.order_by("address")
        self.fields["premises"].empty_label = "Aucun de l’inventaire"
        self.fields["premises"].error_messages["invalid_choice"] = (
            "Ce local n’est pas dans l’inventaire de la ville."
        )
        self.fields["name"].widget.attrs["autocomplete"] = "organization"

    def clean_siret(self):
        siret = clean_siret_value(self.cleaned_data.get("siret"))
        taken = Business.objects.filter(siret=siret).exclude(demand=self.demand)
        other = taken.select_related("demand").first()
        if other is not None:
            raise ValidationError(
                f"Ce SIRET est déjà enregistré pour la demande {other.demand.reference}."
            )
        return siret

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_naf_code(self):
        code = self.cleaned_data["naf_code"].strip().upper()
        if code and re.fullmatch(r"\d{4}[A-Z]", code):
            code = f"{code[:2]}.{code[2:]}"  # 4724Z, as some documents print it
        if code and code not in naf_codes():
            raise ValidationError("Ce code NAF n’existe pas : par exemple 47.24Z.")
        return code

    def clean_opened_on(self):
        opened_on = self.cleaned_data["opened_on"]
        received = timezone.localdate(self.demand.created_at)
        if opened_on < received:
            raise ValidationError(
                f"L’ouverture ne peut pas précéder la demande (reçue le {received:%d/%m/%Y})."
            )
        if opened_on > timezone.localdate() + timedelta(days=OPENING_AHEAD_DAYS):
            raise ValidationError("La date d’ouverture est à plus de six mois : vérifiez-la.")
        return opened_on


class SiretLookupForm(forms.Form):
    """The look-up button: only the SIRET is checked; the rest of what was typed stays."""

    siret = forms.CharField(max_length=20, required=False)

    def clean_siret(self):
        return clean_siret_value(self.cleaned_data.get("siret"))
