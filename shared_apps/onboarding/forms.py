"""Forms of the onboarding: the chosen territory, the space's address and its first admin."""

from django import forms
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from tenants.models import Domain, Territory
from tenants.validators import clean_subdomain


def propose_slug(name):
    slug = slugify(name.replace("'", "-"))[:42].strip("-")
    return slug if len(slug) >= 3 else f"ville-{slug}".strip("-")


class SpaceForm(forms.Form):
    slug = forms.CharField(
        label="Adresse de votre espace",
        max_length=42,
        help_text="Lettres minuscules sans accent, chiffres et tirets ; par exemple "
        "draguignan, qui donnera draguignan.boursoloco.fr.",
        error_messages={"required": "Choisissez l’adresse de votre espace."},
    )
    first_name = forms.CharField(label="Votre prénom", max_length=100)
    last_name = forms.CharField(label="Votre nom", max_length=100)
    email = forms.EmailField(
        label="Votre adresse électronique professionnelle",
        max_length=254,
        help_text="Vous y recevrez un code pour la vérifier ; vous serez l’administrateur "
        "de l’espace.",
        error_messages={
            "required": "Indiquez votre adresse électronique.",
            "invalid": "Cette adresse électronique n’est pas valide. Exemple : nom@mairie.fr.",
        },
    )
    accept_terms = forms.BooleanField(
        label="J’accepte les conditions d’utilisation du service et je suis habilité(e) à "
        "ouvrir cet espace au nom de la collectivité",
        help_text=mark_safe(
            '<a href="/conditions-utilisation/" target="_blank" rel="noopener">'
            "Lire les conditions d’utilisation (nouvelle fenêtre)</a>"
        ),
        error_messages={"required": "Acceptez les conditions d’utilisation pour continuer."},
    )

    def clean_slug(self):
        slug = clean_subdomain(self.cleaned_data["slug"])
        if (
            Territory.objects.filter(slug=slug).exists()
            or Domain.objects.filter(domain__startswith=f"{slug}.").exists()
        ):
            raise forms.ValidationError("Cette adresse est déjà prise : choisissez-en une autre.")
        return slug


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code reçu par courriel",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={
            "required": "Saisissez le code à 6 chiffres reçu par courriel.",
            "min_length": "Le code compte 6 chiffres.",
            "max_length": "Le code compte 6 chiffres.",
        },
    )
