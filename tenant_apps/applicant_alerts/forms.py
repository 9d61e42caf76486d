"""The porteur's switch for premises alerts, on the follow-up page."""

from django import forms


class SwitchForm(forms.Form):
    alerts = forms.ChoiceField(
        choices=[("on", "Recevoir les alertes"), ("off", "Ne plus recevoir les alertes")],
        error_messages={
            "required": "Choisissez de recevoir ou non les alertes.",
            "invalid_choice": "Choisissez de recevoir ou non les alertes.",
        },
    )

    @property
    def active(self):
        return self.cleaned_data["alerts"] == "on"
