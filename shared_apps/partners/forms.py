"""Forms of the partner directory: registration of an organisation and its first member."""

import re

from django import forms
from django.core.exceptions import ValidationError

from shared_apps.partners.enums import PartnerKind
from shared_apps.referential.models import Commune, Epci
from shared_apps.referential.validators import normalise_french_phone, validate_siret

ORGANISATION_FIELDS = ("siret", "name", "kind", "address", "postcode", "city", "website", "phone")


def known_departments():
    return set(Commune.objects.exclude(department="").values_list("department", flat=True))


class RegistrationForm(forms.Form):
    siret = forms.CharField(
        label="SIRET de votre établissement (facultatif)",
        max_length=20,
        required=False,
        help_text="14 chiffres. Avec le bouton « Rechercher », nous remplissons le reste pour "
        "vous ; sinon, remplissez-le à la main.",
    )
    name = forms.CharField(
        label="Nom de l’organisation",
        max_length=200,
        error_messages={"required": "Indiquez le nom de votre organisation."},
    )
    kind = forms.ChoiceField(
        label="Vous êtes",
        choices=[("", "Choisissez")] + list(PartnerKind.choices),
        error_messages={"required": "Dites-nous quel type de partenaire vous êtes."},
    )
    address = forms.CharField(label="Adresse (facultatif)", max_length=255, required=False)
    postcode = forms.CharField(label="Code postal (facultatif)", max_length=5, required=False)
    city = forms.CharField(label="Commune (facultatif)", max_length=120, required=False)
    website = forms.URLField(
        label="Site internet (facultatif)",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Cette adresse de site n’est pas valide. Exemple : https://…"},
    )
    phone = forms.CharField(label="Téléphone (facultatif)", max_length=30, required=False)
    departments = forms.CharField(
        label="Départements où vous proposez des locaux",
        max_length=200,
        required=False,
        help_text="Leurs numéros, séparés par des virgules. Exemple : 83, 06, 2B.",
    )
    places = forms.CharField(
        label="Ou seulement certaines communes et intercommunalités (facultatif)",
        max_length=1000,
        required=False,
        help_text="Codes INSEE des communes (5 caractères) ou SIREN des intercommunalités "
        "(9 chiffres), séparés par des virgules. Exemple : 83050, 248300543.",
    )
    first_name = forms.CharField(label="Votre prénom", max_length=100)
    last_name = forms.CharField(label="Votre nom", max_length=100)
    email = forms.EmailField(
        label="Votre adresse électronique",
        max_length=254,
        help_text="Vous y recevrez un code pour la vérifier, puis les alertes.",
        error_messages={
            "required": "Indiquez votre adresse électronique.",
            "invalid": "Cette adresse électronique n’est pas valide. Exemple : nom@agence.fr.",
        },
    )
    accept_terms = forms.BooleanField(
        label="J’accepte les conditions d’utilisation du service et je représente cette "
        "organisation",
        error_messages={"required": "Acceptez les conditions d’utilisation pour continuer."},
    )

    def clean_siret(self):
        siret = re.sub(r"\s", "", self.cleaned_data["siret"])
        if siret:
            validate_siret(siret)
        return siret

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if postcode and not re.fullmatch(r"\d{5}|2[AB]\d{3}", postcode):
            raise ValidationError("Le code postal compte 5 chiffres. Exemple : 83300.")
        return postcode

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return normalise_french_phone(phone) if phone else ""

    def clean_departments(self):
        codes = [
            code.strip().upper().zfill(2)
            for code in re.split(r"[,;\s]+", self.cleaned_data["departments"])
            if code.strip()
        ]
        unknown = sorted(set(codes) - known_departments())
        if unknown:
            raise ValidationError(
                f"Département inconnu : {', '.join(unknown)}. Exemple : 83, 06, 2B.",
                code="department",
            )
        return sorted(set(codes))

    def clean_places(self):
        codes = {code.strip().upper() for code in re.split(r"[,;\s]+", self.cleaned_data["places"])}
        codes.discard("")
        communes = set(Commune.objects.filter(insee_code__in=codes).values_list("pk", flat=True))
        epcis = set(Epci.objects.filter(siren__in=codes).values_list("pk", flat=True))
        unknown = sorted(codes - communes - epcis)
        if unknown:
            raise ValidationError(
                f"Code inconnu : {', '.join(unknown)}. Indiquez un code INSEE de commune "
                "(ex. 83050) ou un SIREN d’intercommunalité (ex. 248300543).",
                code="place",
            )
        return {"communes": sorted(communes), "epcis": sorted(epcis)}

    def clean(self):
        data = super().clean()
        places = data.get("places") or {}
        if (
            "departments" in data
            and "places" in data
            and not data["departments"]
            and not (places.get("communes") or places.get("epcis"))
        ):
            self.add_error(
                "departments",
                ValidationError(
                    "Indiquez au moins un département, une commune ou une intercommunalité.",
                    code="coverage",
                ),
            )
        return data

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class SiretLookupForm(forms.Form):
    siret = forms.CharField(max_length=20)

    def clean_siret(self):
        siret = re.sub(r"\s", "", self.cleaned_data["siret"])
        validate_siret(siret)
        return siret
