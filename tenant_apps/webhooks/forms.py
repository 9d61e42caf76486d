"""The form of a webhook endpoint."""

from django import forms

from tenant_apps.webhooks.enums import EventType
from tenant_apps.webhooks.models import Webhook
from tenant_apps.webhooks.transport import url_problem


class WebhookForm(forms.ModelForm):
    url = forms.URLField(
        label="Adresse (URL)",
        max_length=500,
        assume_scheme="https",
        help_text="L’adresse HTTPS qui recevra les événements, par exemple "
        "https://crm.exemple.fr/boursoloco.",
        error_messages={
            "required": "Saisissez l’adresse qui recevra les événements.",
            "invalid": "Saisissez une adresse complète, par exemple https://exemple.fr/webhooks.",
            "max_length": "L’adresse tient en 500 caractères au plus.",
        },
    )
    events = forms.MultipleChoiceField(
        label="Événements envoyés",
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un événement."},
    )

    class Meta:
        model = Webhook
        fields = ["url", "description", "events"]
        labels = {"description": "Description (facultatif)"}
        help_texts = {
            "description": "Pour vous y retrouver : l’outil ou le prestataire qui le reçoit.",
        }

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        problem = url_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url
