"""The town's own texts and form options, edited by its admins."""

import io
import logging
import re
from functools import partial
from pathlib import Path

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageOps

from shared_apps.accounts.enums import Role
from tenant_apps.premises.models import Area
from tenant_apps.townsite.models import TownSettings
from tenants.models import Territory

logger = logging.getLogger(__name__)
ORIGIN = re.compile(r"https://[a-z0-9.-]+\.[a-z]{2,}(:\d{2,5})?")
# A site on this very machine may be HTTP: a town's website under development.
LOCAL_ORIGIN = re.compile(r"http://(localhost|127\.0\.0\.1|[a-z0-9-]+\.localhost)(:\d{2,5})?")


class TownSettingsForm(forms.ModelForm):
    class Meta:
        model = TownSettings
        fields = [
            "intro_text",
            "form_intro",
            "contact_email",
            "embed_domains",
            "ask_siret",
            "ask_opening_date",
            "ask_purchase_budget",
            "ask_lease",
            "ask_areas",
            "ask_other_needs",
            "ask_support",
            "ask_heard_from",
            "notify_team_on_new_demand",
            "alert_partners_on",
            "applicant_alert_min_score",
            "ask_still_searching_after_days",
            "dormant_after_days",
            "remind_team_after_days",
            "retention_months",
            "publish_open_data",
        ]
        widgets = {
            "intro_text": forms.Textarea(attrs={"rows": 3}),
            "form_intro": forms.Textarea(attrs={"rows": 3}),
            "alert_partners_on": forms.RadioSelect,
        }
        error_messages = {
            "retention_months": {
                "min_value": "Conservez les demandes au moins 6 mois.",
                "max_value": "Conservez les demandes au plus 120 mois (10 ans).",
            },
            "applicant_alert_min_score": {
                "invalid": "Indiquez un score en chiffres, de 40 à 100.",
                "min_value": "Le score minimal est de 40 : en dessous, le local ne convient pas.",
                "max_value": "Le score est sur 100.",
            },
        }

    def clean_embed_domains(self):
        origins = []
        for line in self.cleaned_data["embed_domains"].splitlines():
            line = line.strip().rstrip("/")
            if not line:
                continue
            if not (ORIGIN.fullmatch(line.lower()) or LOCAL_ORIGIN.fullmatch(line.lower())):
                raise forms.ValidationError(
                    f"« {line[:80]} » n’est pas une adresse de site : écrivez par exemple "
                    "https://www.ville.fr, une par ligne."
                )
            origins.append(line.lower())
        if len(origins) > 10:
            raise forms.ValidationError("Dix sites au plus.")
        return "\n".join(origins)

    def clean_intro_text(self):
        return self.cleaned_data["intro_text"][:2000]

    def clean_form_intro(self):
        return self.cleaned_data["form_intro"][:2000]


class IdentityForm(forms.ModelForm):
    """The town's name as shown, its logo and accent colour (stored on the town itself).
    The logo is stored re-encoded in its real format (PNG, JPEG or WebP, under that
    extension whatever the file was called), 1000 px at most on its longer side, like
    premises photos; a replaced or removed logo is deleted from storage."""

    MAX_LOGO_BYTES = 1024 * 1024
    # Pixels, not bytes, are what drawing costs: a 140 KB PNG of 12,000 × 12,000 px took
    # the poster's PDF about 1 GB of memory.
    MAX_LOGO_PIXELS = 16_000_000
    MAX_LOGO_SIDE = 1000
    LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}

    class Meta:
        model = Territory
        fields = ["name", "logo", "accent_color"]
        widgets = {"accent_color": forms.TextInput(attrs={"type": "color"})}
        error_messages = {"name": {"required": "Indiquez le nom de la collectivité."}}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or not hasattr(logo, "image"):
            return logo
        if logo.size > self.MAX_LOGO_BYTES:
            raise forms.ValidationError("Le logo doit peser moins de 1 Mo.")
        if logo.image.format not in self.LOGO_FORMATS:
            raise forms.ValidationError("Le logo doit être une image PNG, JPEG ou WebP.")
        width, height = logo.image.size
        if width * height > self.MAX_LOGO_PIXELS:
            raise forms.ValidationError(
                f"Ce logo est trop grand ({width} × {height} pixels) : réduisez-le à "
                "4 000 × 4 000 pixels au plus (1 000 suffisent) avant de l’envoyer."
            )
        return self.reduced(logo)

    def reduced(self, logo):
        """The logo re-encoded in its own format, named after it, MAX_LOGO_SIDE at most."""
        fmt = logo.image.format
        try:
            logo.seek(0)
            with Image.open(logo) as image:
                image = ImageOps.exif_transpose(image)
                if fmt == "JPEG":
                    image = image.convert("RGB")
                elif image.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = image.convert("RGBA")
                image.thumbnail((self.MAX_LOGO_SIDE, self.MAX_LOGO_SIDE))
                out = io.BytesIO()
                image.save(out, fmt, **({"quality": 90} if fmt != "PNG" else {}))
        except (OSError, ValueError, Image.DecompressionBombError):
            raise forms.ValidationError(
                "Ce fichier n’est pas une image lisible : choisissez un logo PNG, JPEG ou WebP."
            ) from None
        stem = Path(logo.name).stem or "logo"
        name = f"{stem}.{self.LOGO_FORMATS[fmt]}"
        return SimpleUploadedFile(name, out.getvalue(), content_type=Image.MIME[fmt])

    def save(self, commit=True):
        previous = (
            Territory.objects.filter(pk=self.instance.pk).values_list("logo", flat=True).first()
        )
        territory = super().save(commit)
        if commit and previous and previous != territory.logo.name:
            storage = territory.logo.storage
            transaction.on_commit(partial(delete_quietly, storage, previous))
        return territory


def delete_quietly(storage, name):
    """Remove a file nothing points at any more; a failure leaves a stray file, no error."""
    try:
        storage.delete(name)
    except OSError:
        logger.warning("Ancien logo %s non supprimé", name, exc_info=True)


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["name", "description", "is_priority"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "name": {
                "required": "Indiquez le nom du quartier.",
                "unique": "Ce quartier existe déjà.",
            }
        }


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        error_messages={
            "required": "Indiquez l’adresse de la personne à inviter.",
            "invalid": "Cette adresse électronique n’est pas valide. Exemple : nom@domaine.fr.",
        },
    )
    role = forms.ChoiceField(label="Rôle", choices=Role.choices, initial=Role.AGENT)


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)
    is_active = forms.BooleanField(label="Actif", required=False)
