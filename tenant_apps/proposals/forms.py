"""Forms of proposals: the porteur's answer, the team's and partners' « proposer aux N
meilleures demandes », and the porteur's address to be recognised from the catalogue."""

from django import forms

from tenant_apps.demands.forms import CONTROL_CHARACTERS
from tenant_apps.proposals.enums import Answer, RefusalReason
from tenant_apps.proposals.services import MAX_BEST


class CleanTextForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = CONTROL_CHARACTERS.sub("", value).strip()
        return cleaned


class AnswerForm(CleanTextForm):
    """One form, two buttons: « Intéressé » (when the porteur can visit, who comes) or
    « Pas pour moi » (why). Only the chosen answer's fields are checked and kept."""

    answer = forms.ChoiceField(
        choices=[(Answer.INTERESTED, Answer.INTERESTED.label), (Answer.DECLINED, "Pas pour moi")],
        error_messages={
            "required": "Choisissez « Intéressé » ou « Pas pour moi ».",
            "invalid_choice": "Choisissez « Intéressé » ou « Pas pour moi ».",
        },
    )
    visit_availability = forms.CharField(
        label="Quand pourriez-vous visiter ce local ?",
        required=False,
        max_length=500,
        help_text="Jours et heures qui vous conviennent. Exemple : mardi ou jeudi après 14 h.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    visit_attendees = forms.CharField(
        label="Qui viendra à la visite ? (facultatif)",
        required=False,
        max_length=200,
        help_text="Exemple : moi et mon associée.",
    )
    reason = forms.ChoiceField(
        label="Pourquoi ce local ne vous convient-il pas ?",
        required=False,
        choices=RefusalReason.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez une des raisons proposées."},
    )
    comment = forms.CharField(
        label="Un mot pour l’équipe (facultatif)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        answer = cleaned.get("answer")
        if answer == Answer.INTERESTED and not cleaned.get("visit_availability"):
            self.add_error(
                "visit_availability", "Indiquez quand vous pourriez visiter : l’équipe s’organise."
            )
        if answer == Answer.DECLINED and not cleaned.get("reason"):
            self.add_error("reason", "Choisissez la raison : elle aide l’équipe à mieux chercher.")
        return cleaned

    def details(self):
        """The answer's own fields, for services.answer_proposal."""
        data = self.cleaned_data
        if data["answer"] == Answer.INTERESTED:
            return {
                "visit_availability": data["visit_availability"],
                "visit_attendees": data["visit_attendees"],
                "comment": data["comment"],
            }
        return {"reason": data["reason"], "comment": data["comment"]}


class BestDemandsForm(CleanTextForm):
    count = forms.IntegerField(
        label="Nombre de demandes",
        min_value=1,
        max_value=MAX_BEST,
        initial=5,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Indiquez à combien de demandes proposer le local.",
            "invalid": "Indiquez un nombre de demandes, en chiffres.",
            "min_value": "Proposez le local à une demande au moins.",
            "max_value": f"Proposez le local à {MAX_BEST} demandes au plus à la fois.",
        },
    )
    message = forms.CharField(
        label="Message au porteur (facultatif)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PorteurEmailForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique de votre demande",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Indiquez votre adresse électronique.",
            "invalid": "Cette adresse électronique n’est pas valide. Exemple : nom@domaine.fr.",
        },
    )
