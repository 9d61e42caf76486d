"""Forms of the onboarding: the space's address (picked among forms of the official name)
and its first admin."""

from django import forms
from django.utils.safestring import mark_safe


class SpaceForm(forms.Form):
    slug = forms.ChoiceField(
        label="Adresse de votre espace",
        widget=forms.RadioSelect,
        help_text="Tirée du nom officiel de la collectivité.",
        error_messages={
            "required": "Choisissez l’adresse de votre espace.",
            "invalid_choice": "Choisissez une des adresses proposées.",
        },
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

    def __init__(self, *args, addresses, base_domain, identified=False, **kwargs):
        """`addresses`: the slugs to pick from, or None when the space already exists
        (another claimant asked first). `identified`: the person signed in with
        ProConnect, whose identity needs no typing."""
        super().__init__(*args, **kwargs)
        if addresses is None:
            del self.fields["slug"]
        else:
            self.fields["slug"].choices = [(slug, f"{slug}.{base_domain}") for slug in addresses]
            if addresses:
                self.fields["slug"].initial = addresses[0]
        if identified:
            for name in ("first_name", "last_name", "email"):
                del self.fields[name]


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
