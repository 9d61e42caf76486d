"""Forms of the ANCT console: a town's identity, as staff create or correct it."""

from django import forms

from tenants.models import Territory
from tenants.validators import clean_subdomain


class TerritoryForm(forms.ModelForm):
    # A plain text field, not a SlugField: the subdomain's own rules answer, in the
    # onboarding's words, instead of Django's slug message.
    slug = forms.CharField(label="Sous-domaine", max_length=42)

    class Meta:
        model = Territory
        fields = [
            "name",
            "slug",
            "kind",
            "official_code",
            "siren",
            "accent_color",
            "reference_prefix",
        ]

    def clean_slug(self):
        return clean_subdomain(self.cleaned_data["slug"])
