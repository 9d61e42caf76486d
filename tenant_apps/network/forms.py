"""Forms of the partner network: a partner's alert settings, the town's invitations."""

from django import forms
from django.core.exceptions import ValidationError

from shared_apps.partners.models import Partner
from tenant_apps.demands.enums import ActivityCategory
from tenant_apps.network.enums import Answer, Frequency
from tenant_apps.network.models import NetworkMember
from tenant_apps.premises.enums import PremisesKind
from tenant_apps.premises.models import Area


class AlertSettingsForm(forms.ModelForm):
    frequency = forms.ChoiceField(
        label="Fréquence des alertes", choices=Frequency.choices, widget=forms.RadioSelect
    )
    areas = forms.ModelMultipleChoiceField(
        label="Quartiers",
        queryset=Area.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun coché : toute la ville.",
    )
    premises_kinds = forms.MultipleChoiceField(
        label="Types de local",
        choices=PremisesKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun coché : tous les types.",
    )
    categories = forms.MultipleChoiceField(
        label="Activités",
        choices=ActivityCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune cochée : toutes les activités.",
    )

    class Meta:
        model = NetworkMember
        fields = [
            "alerts_enabled",
            "frequency",
            "areas",
            "premises_kinds",
            "categories",
            "surface_min",
            "surface_max",
            "budget_min",
            "budget_max",
        ]
        labels = {"alerts_enabled": "Recevoir les alertes de cette collectivité"}
        help_texts = {
            "surface_min": "Vide : pas de minimum.",
            "surface_max": "Vide : pas de maximum.",
            "budget_min": "Les demandes sans budget indiqué vous sont toujours envoyées.",
        }
        error_messages = {
            name: {"invalid": "Saisissez un nombre entier, sans espace ni unité."}
            for name in ("surface_min", "surface_max", "budget_min", "budget_max")
        }

    def clean(self):
        data = super().clean()
        for low, high, label in (
            ("surface_min", "surface_max", "La surface minimale"),
            ("budget_min", "budget_max", "Le loyer minimal"),
        ):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(low, ValidationError(f"{label} dépasse le maximum."))
        return data


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=Answer.choices)


class InviteForm(forms.Form):
    partner = forms.ModelChoiceField(
        label="Partenaire de l’annuaire",
        queryset=Partner.objects.visible(),
        required=False,
        empty_label="Choisissez (ou indiquez une adresse ci-dessous)",
    )
    email = forms.EmailField(
        label="Adresse électronique",
        required=False,
        max_length=254,
        help_text="Pour un partenaire de l’annuaire, son adresse est utilisée si vous n’en "
        "indiquez pas.",
        error_messages={"invalid": "Cette adresse électronique n’est pas valide."},
    )

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partners is not None:
            self.fields["partner"].queryset = partners

    def clean(self):
        data = super().clean()
        partner, email = data.get("partner"), data.get("email")
        if not email and partner:
            data["email"] = email = partner.email or ""
        if not email and not self.errors:
            raise ValidationError(
                "Indiquez l’adresse électronique du partenaire à inviter.", code="email"
            )
        return data
