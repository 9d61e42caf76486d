"""Forms of the correspondence: a town's email templates, and an email to a porteur."""

import uuid

from django import forms
from django.core.exceptions import ValidationError

from tenant_apps.correspondence.enums import PLACEHOLDERS
from tenant_apps.correspondence.models import EmailTemplate
from tenant_apps.correspondence.placeholders import names_in

PLACEHOLDER_HELP = "Champs remplis à l’envoi : " + ", ".join(
    "{" + name + "} (" + label + ")" for name, label in PLACEHOLDERS.items()
)


def one_line(subject):
    """An email's subject is one header line."""
    if "\n" in subject or "\r" in subject:
        raise ValidationError("L’objet tient sur une ligne.")
    return subject


class EmailTemplateForm(forms.ModelForm):
    class Meta:
        model = EmailTemplate
        fields = ["name", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        help_texts = {"body": PLACEHOLDER_HELP}
        error_messages = {"name": {"unique": "Un modèle porte déjà ce nom."}}

    def clean_subject(self):
        return one_line(self.cleaned_data["subject"])


class ComposeForm(forms.Form):
    """To the porteur: subject and text (placeholders allowed), a partner in copy if the
    porteur accepted sharing. `send_key` is drawn when the form is shown: submitting it
    twice sends once."""

    subject = forms.CharField(label="Objet", max_length=200)
    body = forms.CharField(
        label="Message", max_length=10_000, widget=forms.Textarea(attrs={"rows": 10})
    )
    partner = forms.ModelChoiceField(
        label="En copie (facultatif)",
        queryset=None,
        required=False,
        empty_label="Aucun",
    )
    send_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, partners, **kwargs):
        kwargs.setdefault("prefix", "courriel")
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        # Worded without « partenaire »: the introduction form's field is labelled so.
        self.fields[
            "partner"
        ].help_text = (
            "Un membre du réseau mis en relation avec ce porteur ou alerté pour sa demande."
        )
        self.fields["body"].help_text = PLACEHOLDER_HELP
        self.fields["send_key"].error_messages["required"] = (
            "Le formulaire a expiré : vérifiez votre message et envoyez-le de nouveau."
        )
        self.fields["send_key"].error_messages["invalid"] = self.fields["send_key"].error_messages[
            "required"
        ]
        if not self.is_bound:
            self.initial.setdefault("send_key", uuid.uuid4())

    def clean_subject(self):
        subject = one_line(self.cleaned_data["subject"])
        names_in(subject)
        return subject.strip()

    def clean_body(self):
        body = self.cleaned_data["body"]
        names_in(body)
        return body

    def renew_send_key(self):
        """A missing or broken key: the form is offered again with a fresh one (what was
        typed stays)."""
        data = self.data.copy()
        data[self.add_prefix("send_key")] = str(uuid.uuid4())
        self.data = data
