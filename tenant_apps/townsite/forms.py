"""The town's own texts and form options, edited by its admins."""

from django import forms

from tenant_apps.townsite.models import TownSettings


class TownSettingsForm(forms.ModelForm):
    class Meta:
        model = TownSettings
        fields = [
            "intro_text",
            "form_intro",
            "contact_email",
            "ask_siret",
            "ask_opening_date",
            "ask_purchase_budget",
            "ask_lease",
            "ask_areas",
            "ask_other_needs",
            "ask_support",
            "ask_heard_from",
            "notify_team_on_new_demand",
            "ask_still_searching_after_days",
            "dormant_after_days",
            "remind_team_after_days",
            "retention_months",
        ]
        widgets = {
            "intro_text": forms.Textarea(attrs={"rows": 3}),
            "form_intro": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "retention_months": {
                "min_value": "Conservez les demandes au moins 6 mois.",
                "max_value": "Conservez les demandes au plus 120 mois (10 ans).",
            }
        }

    def clean_intro_text(self):
        return self.cleaned_data["intro_text"][:2000]

    def clean_form_intro(self):
        return self.cleaned_data["form_intro"][:2000]
