"""The form that creates an API token: a name, its scopes, how long it lives."""

from django import forms

DURATIONS = [("30", "30 jours"), ("90", "90 jours"), ("365", "Un an")]


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="Pour le reconnaître : l’outil qui l’utilise, par exemple « Site de la "
        "mairie » ou « SIG ».",
        error_messages={"required": "Donnez un nom au jeton."},
    )
    scopes = forms.MultipleChoiceField(
        label="Droits",
        widget=forms.CheckboxSelectMultiple,
        help_text="Ne cochez que ce dont l’outil a besoin.",
        error_messages={"required": "Cochez au moins un droit."},
    )
    days = forms.ChoiceField(
        label="Durée de validité",
        choices=DURATIONS,
        initial="90",
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une durée de validité."},
    )

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(scope.value, scope.label) for scope in scopes]
        self.fields["scopes"].error_messages["invalid_choice"] = (
            "Ce droit n’existe pas pour cet espace."
        )
