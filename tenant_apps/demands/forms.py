"""The porteur's demand form, one Django form per step, validated on the server."""

import re
from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError

from shared_apps.referential.naf import naf_code_in
from shared_apps.referential.validators import normalise_french_phone, validate_siret
from tenant_apps.demands.enums import ActivityCategory, HeardFrom, LeaseKind, Stage, Support
from tenant_apps.premises.enums import PremisesKind
from tenant_apps.premises.models import Area

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CHOOSE = [("", "Choisir dans la liste")]


def number(label, *, low, high, unit, required=True, help_text=""):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=low,
        max_value=high,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Saisissez un nombre entier, sans espace ni symbole.",
            "min_value": f"Le minimum est {low:,} {unit}.".replace(",", " "),
            "max_value": f"Le maximum est {high:,} {unit}.".replace(",", " "),
            "required": f"Indiquez {label.lower()}.",
        },
    )


class StepForm(forms.Form):
    """Common to every step: no control characters, optional questions the town
    switched off are removed."""

    optional_fields = {}  # field name → TownSettings flag that enables it

    def __init__(self, *args, town_settings=None, shown=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown = shown  # False: validated again before saving, never displayed
        for name, flag in self.optional_fields.items():
            if town_settings is not None and not getattr(town_settings, flag):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = CONTROL_CHARACTERS.sub("", value)
        return cleaned


class ProjectForm(StepForm):
    title = "Votre projet"
    optional_fields = {"siret": "ask_siret", "opening_date": "ask_opening_date"}

    activity = forms.CharField(
        label="Votre activité",
        max_length=200,
        help_text="En quelques mots, ou choisissez un code NAF dans la liste. "
        "Exemples : boulangerie, salon de coiffure, cabinet de kinésithérapie.",
        widget=forms.TextInput(attrs={"list": "codes-naf", "autocomplete": "off"}),
        error_messages={"required": "Indiquez votre activité."},
    )
    activity_category = forms.ChoiceField(
        label="Type de commerce ou de service",
        choices=CHOOSE + ActivityCategory.choices,
        error_messages={"required": "Choisissez le type de commerce ou de service."},
    )
    description = forms.CharField(
        label="Votre projet en quelques phrases",
        required=False,
        max_length=2000,
        help_text="Ce qui le rend unique, votre clientèle, vos horaires… (facultatif)",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    stage = forms.ChoiceField(
        label="Où en est votre projet ?",
        choices=Stage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez où en est votre projet."},
    )
    siret = forms.CharField(
        label="SIRET de votre entreprise",
        required=False,
        max_length=20,
        help_text="Seulement si votre entreprise existe déjà : 14 chiffres (facultatif).",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    opening_date = forms.DateField(
        label="Date d’ouverture souhaitée",
        required=False,
        help_text="Même approximative (facultatif).",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date valide, par exemple 15/09/2027."},
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )

    def clean_activity(self):
        return " ".join(self.cleaned_data["activity"].split())

    def clean_siret(self):
        siret = re.sub(r"[\s.]", "", self.cleaned_data.get("siret", ""))
        if siret:
            validate_siret(siret)
        return siret

    def clean_opening_date(self):
        opening = self.cleaned_data.get("opening_date")
        if opening and opening < date.today():
            raise ValidationError("La date d’ouverture ne peut pas être dans le passé.")
        if opening and opening > date.today() + timedelta(days=5 * 366):
            raise ValidationError("Choisissez une date dans les cinq prochaines années.")
        return opening

    @property
    def naf_code(self):
        return naf_code_in(self.cleaned_data.get("activity", "")) or ""


class PremisesForm(StepForm):
    title = "Le local recherché"
    optional_fields = {
        "purchase_budget": "ask_purchase_budget",
        "lease_kinds": "ask_lease",
        "areas": "ask_areas",
        "other_needs": "ask_other_needs",
    }

    premises_kind = forms.ChoiceField(
        label="Type de local",
        choices=CHOOSE + PremisesKind.choices,
        error_messages={"required": "Choisissez le type de local."},
    )
    surface_min = number("Surface minimale (m²)", low=1, high=10_000, unit="m²")
    surface_max = number("Surface maximale (m²)", low=1, high=10_000, unit="m²")
    monthly_budget = number(
        "Loyer mensuel maximal (€)",
        low=0,
        high=100_000,
        unit="€",
        required=False,
        help_text="Hors charges, si vous cherchez à louer (facultatif).",
    )
    purchase_budget = number(
        "Budget d’achat maximal (€)",
        low=0,
        high=20_000_000,
        unit="€",
        required=False,
        help_text="Si vous souhaitez acheter les murs (facultatif).",
    )
    lease_kinds = forms.MultipleChoiceField(
        label="Bail envisagé",
        choices=LeaseKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Plusieurs réponses possibles (facultatif).",
    )
    areas = forms.ModelMultipleChoiceField(
        label="Quartiers souhaités",
        queryset=Area.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun coché : tous les quartiers vous conviennent.",
        error_messages={"invalid_choice": "Ce quartier n’existe pas.", "invalid_pk_value": ""},
    )
    needs_shop_window = forms.BooleanField(label="Avec une vitrine", required=False)
    needs_step_free_access = forms.BooleanField(
        label="Accessible de plain-pied (sans marche)", required=False
    )
    other_needs = forms.CharField(
        label="Autres besoins",
        required=False,
        max_length=1000,
        help_text="Extraction, réserve, logement attenant, stationnement… (facultatif)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Hidden from a town without areas. A form only validated again before saving
        # skips that query: naming no area, it validates the same either way.
        checked = "areas" in self.fields and (self.shown or self.data.getlist("areas"))
        if checked and not self.fields["areas"].queryset.exists():
            del self.fields["areas"]
        if "areas" in self.fields:
            self.fields["areas"].error_messages["invalid_pk_value"] = "Ce quartier n’existe pas."

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("surface_min"), cleaned.get("surface_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "surface_max", "La surface maximale doit être au moins égale à la minimale."
            )
        return cleaned


class NeedsForm(PremisesForm):
    """What the porteur may update from the follow-up page: the premises sought and the
    description of the project."""

    description = forms.CharField(
        label="Votre projet en quelques phrases",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SupportForm(StepForm):
    title = "L’accompagnement"

    support = forms.MultipleChoiceField(
        label="De quoi auriez-vous besoin ?",
        choices=Support.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="La collectivité vous orientera vers les bons interlocuteurs. "
        "Plusieurs réponses possibles, aucune obligatoire.",
    )


class ContactForm(StepForm):
    title = "Vos coordonnées"
    optional_fields = {"heard_from": "ask_heard_from"}

    first_name = forms.CharField(
        label="Prénom",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": "Indiquez votre prénom."},
    )
    last_name = forms.CharField(
        label="Nom",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": "Indiquez votre nom."},
    )
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text="Format attendu : nom@domaine.fr. Vous y recevrez le lien de suivi.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Indiquez votre adresse électronique.",
            "invalid": "Cette adresse électronique n’est pas valide. Exemple : nom@domaine.fr.",
        },
    )
    phone = forms.CharField(
        label="Téléphone",
        max_length=30,
        help_text="Pour que l’équipe puisse vous rappeler. Exemple : 06 12 34 56 78.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": "Indiquez un numéro de téléphone."},
    )
    heard_from = forms.ChoiceField(
        label="Comment avez-vous connu ce service ?",
        choices=CHOOSE + HeardFrom.choices,
        required=False,
    )
    consent_to_share = forms.BooleanField(
        label="J’accepte que ma demande et mes coordonnées soient transmises aux partenaires "
        "de la collectivité (agences immobilières, propriétaires, réseaux d’accompagnement)",
        required=False,
        help_text="Facultatif. Sans cet accord, seule l’équipe de la collectivité voit vos "
        "coordonnées ; les partenaires ne reçoivent qu’un résumé anonyme de votre besoin.",
    )
    premises_alerts = forms.BooleanField(
        label="Me prévenir par courriel quand un local publié correspond à ma demande",
        required=False,
        help_text="Facultatif. Un courriel par jour au plus, arrêt en un clic.",
    )
    # A field people never see: only robots fill it in.
    website = forms.CharField(label="Site internet", required=False, max_length=200)

    def clean_phone(self):
        return normalise_french_phone(self.cleaned_data["phone"])

    @property
    def is_spam(self):
        return bool(self.data.get(self.add_prefix("website")))
