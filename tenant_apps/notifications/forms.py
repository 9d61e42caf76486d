"""The person's choice of which notifications also go by email."""

from django import forms

from tenant_apps.notifications.enums import NotificationKind


class PreferenceForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label="Recevoir aussi par courriel",
        help_text="Toutes vos notifications restent dans la cloche de l’espace de gestion ; "
        "cochez celles que vous voulez aussi recevoir par courriel.",
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Choisissez parmi les types de notification proposés.",
            "invalid_list": "Choisissez parmi les types de notification proposés.",
        },
    )
