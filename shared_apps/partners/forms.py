"""Forms of the partner directory: registration of an organisation and its first member."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

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
    # Picked by name: a search (the « Rechercher » button, no JavaScript needed) lists
    # communes and EPCI to tick; what is ticked stays through later searches.
    place_query = forms.CharField(
        label="Rechercher une commune ou une intercommunalité",
        max_length=100,
        required=False,
        help_text="Son nom, son code postal ou son code INSEE. Exemple : Draguignan.",
    )
    places = forms.MultipleChoiceField(
        label="Communes et intercommunalités où vous proposez des locaux",
        help_text="Cochez celles qui vous concernent.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choisissez les communes et intercommunalités parmi les résultats "
            "de la recherche.",
        },
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            ticked = self.data.getlist("places") if hasattr(self.data, "getlist") else []
            query = self.data.get("place_query", "")
        else:
            ticked = self.initial.get("places") or []
            query = self.initial.get("place_query", "")
        # The ticked places that exist (anything else is refused as an invalid choice),
        # then what the search found.
        choices = dict(place_choices(ticked))
        found = place_choices(find_places(query)) if query.strip() else []
        self.nothing_found = bool(query.strip()) and not found
        choices |= dict(found)
        self.fields["places"].choices = list(choices.items())

    def clean_places(self):
        values = self.cleaned_data["places"]
        return {
            "communes": sorted(v.split(":", 1)[1] for v in values if v.startswith("commune:")),
            "epcis": sorted(v.split(":", 1)[1] for v in values if v.startswith("epci:")),
        }

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


PLACES_FOUND = 12


def find_places(text):
    """["commune:<INSEE>" or "epci:<SIREN>"] matching a name (accents ignored), a postcode,
    an INSEE code or a SIREN: the largest first."""
    text = " ".join(text.split())[:100]
    if len(text) < 2:
        return []
    if text.isdigit():
        communes = Commune.objects.filter(Q(postcodes__contains=[text]) | Q(insee_code=text))
        epcis = Epci.objects.filter(siren=text)
    else:
        communes = Commune.objects.filter(name__unaccent__istartswith=text)
        epcis = Epci.objects.filter(name__unaccent__icontains=text)
    epcis = epcis.order_by("-population").values_list("siren", flat=True)[:4]
    communes = communes.order_by("-population").values_list("insee_code", flat=True)
    return [f"epci:{siren}" for siren in epcis] + [
        f"commune:{code}" for code in communes[:PLACES_FOUND]
    ]


def place_choices(values):
    """[(value, label)] of those `values` that name a known commune or EPCI, in order."""
    codes = {"commune": set(), "epci": set()}
    for value in values:
        kind, _, code = str(value).partition(":")
        if kind in codes and code:
            codes[kind].add(code)
    labels = {
        f"commune:{c.insee_code}": f"{c.name} ({c.department}) — commune"
        for c in Commune.objects.filter(insee_code__in=codes["commune"])
    } | {
        f"epci:{e.siren}": f"{e.name} — {e.get_kind_display() or 'intercommunalité'}"
        for e in Epci.objects.filter(siren__in=codes["epci"])
    }
    return [(value, labels[value]) for value in dict.fromkeys(values) if value in labels]


class SiretLookupForm(forms.Form):
    siret = forms.CharField(max_length=20)

    def clean_siret(self):
        siret = re.sub(r"\s", "", self.cleaned_data["siret"])
        validate_siret(siret)
        return siret
