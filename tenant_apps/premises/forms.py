"""Forms of the premises inventory, shared by the back-office and the partner portal.

`PremisesForm(data=None, files=None, instance=None, partner=None, managers=None)`: with
`partner`, the managing partner is that partner and the field is not shown; otherwise it
is one of `managers` (the town's network, given by the caller; nobody when not given) or
the one the premises already has. `save(user=...)` places the
premises (typed coordinates, else the BAN geocoder), records a state change in the
history (through `Premises.change_state`) and refreshes the premises' matches;
`form.geocoding_failed` then tells whether the address could not be placed.
`save(commit=False)` returns the premises with its stored state: only `save()` records a
change of state.
"""

import io

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from shared_apps.partners.models import Partner
from tenant_apps.premises.enums import LocationSource, PremisesState
from tenant_apps.premises.geocoding import geocode
from tenant_apps.premises.models import Area, Premises, PremisesPhoto

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]


class PremisesForm(forms.ModelForm):
    class Meta:
        model = Premises
        fields = [
            "address",
            "area",
            "kind",
            "surface",
            "lease_kind",
            "monthly_rent",
            "sale_price",
            "state",
            "available_from",
            "has_shop_window",
            "step_free_access",
            "managing_partner",
            "owner_name",
            "description",
            "is_published",
            "latitude",
            "longitude",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "latitude": forms.NumberInput(attrs={"step": "any"}),
            "longitude": forms.NumberInput(attrs={"step": "any"}),
        }
        help_texts = {
            "address": "Numéro, rue, code postal et commune : le local est placé sur la carte "
            "d’après la Base Adresse Nationale.",
            "latitude": "Facultatif : si l’adresse n’est pas trouvée, placez le local sur la "
            "carte ou saisissez ses coordonnées, par exemple 43.5365.",
            "longitude": "Par exemple 6.4646.",
            "owner_name": "Si le local n’est pas géré par un partenaire.",
        }
        error_messages = {
            "address": {"required": "Indiquez l’adresse du local."},
            "kind": {"required": "Choisissez le type de local."},
            "surface": {
                "required": "Indiquez la surface en m².",
                "invalid": "Indiquez la surface en m², en chiffres.",
                "min_value": "La surface doit être d’au moins 1 m².",
                "max_value": "La surface doit être de 10 000 m² au plus.",
            },
            "monthly_rent": {"invalid": "Indiquez le loyer en euros, en chiffres."},
            "sale_price": {"invalid": "Indiquez le prix en euros, en chiffres."},
            "available_from": {"invalid": "Saisissez une date valide, par exemple 15/09/2027."},
            "latitude": {
                "invalid": "Indiquez la latitude en degrés décimaux, par exemple 43.5365.",
                "min_value": "La latitude est comprise entre -90 et 90.",
                "max_value": "La latitude est comprise entre -90 et 90.",
            },
            "longitude": {
                "invalid": "Indiquez la longitude en degrés décimaux, par exemple 6.4646.",
                "min_value": "La longitude est comprise entre -180 et 180.",
                "max_value": "La longitude est comprise entre -180 et 180.",
            },
        }

    def __init__(self, data=None, files=None, instance=None, partner=None, managers=None, **kwargs):
        super().__init__(data, files, instance=instance, **kwargs)
        self.partner = partner
        self.geocoding_failed = False
        self.geocode = True  # the CSV import turns it off past a number of lines
        self.fields["available_from"].input_formats = DATE_INPUTS
        self.fields["area"].queryset = Area.objects.all()
        self.fields["area"].empty_label = "Non précisé"
        self.fields["kind"].choices = [("", "Choisir le type"), *self.fields["kind"].choices[1:]]
        leases = self.fields["lease_kind"].choices[1:]
        self.fields["lease_kind"].choices = [("", "Non précisé"), *leases]
        for name in ("monthly_rent", "sale_price"):
            self.fields[name].widget.attrs["max"] = 10_000_000  # clean_amount checks it
        if partner is not None:
            del self.fields["managing_partner"]
        else:
            # The town's own network only (tenant_apps.network says who is in it).
            managing = self.fields["managing_partner"]
            managers = Partner.objects.none() if managers is None else managers
            current = Partner.objects.filter(pk=self.instance.managing_partner_id)
            managing.queryset = (managers | current).order_by("name")
            managing.empty_label = "Aucun (la collectivité ou le propriétaire)"
            managing.error_messages["invalid_choice"] = (
                "Choisissez un partenaire du réseau de la collectivité (menu Partenaires)."
            )

    def clean_monthly_rent(self):
        return self.clean_amount("monthly_rent", "Le loyer")

    def clean_sale_price(self):
        return self.clean_amount("sale_price", "Le prix")

    def clean_amount(self, name, what):
        value = self.cleaned_data.get(name)
        if value is not None and value > 10_000_000:
            raise ValidationError(f"{what} semble trop élevé : 10 000 000 € au plus.")
        return value

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        half = (latitude is None) != (longitude is None)
        if half and not self.has_error("latitude") and not self.has_error("longitude"):
            self.add_error(
                "latitude" if latitude is None else "longitude",
                "Indiquez la latitude et la longitude, ou aucune des deux.",
            )
        return cleaned

    def locate(self, premises):
        """Typed (or pinned) coordinates win; otherwise the address is geocoded when it is
        new or changed, or when the premises has no position yet."""
        typed = {"latitude", "longitude"} & set(self.changed_data)
        if typed and premises.is_located:
            premises.location_source = LocationSource.MANUAL
            return
        if premises.is_located and "address" not in self.changed_data:
            return
        location = geocode(premises.address) if self.geocode else None
        if location is None:
            self.geocoding_failed = True
            if "address" in self.changed_data and not typed:
                premises.latitude = premises.longitude = None
                premises.location_source = LocationSource.NONE
            return
        premises.latitude, premises.longitude = location.latitude, location.longitude
        premises.location_source = LocationSource.GEOCODER

    def save(self, commit=True, *, user=None, refresh=True):
        premises = super().save(commit=False)
        if self.partner is not None:
            premises.managing_partner = self.partner
        self.locate(premises)
        new_state = self.cleaned_data["state"]
        creating = premises.pk is None
        if not creating:
            premises.state = self.initial["state"]  # as stored: the form changed the instance
        if not commit:
            return premises
        if creating:
            premises.state = ""  # change_state records the first state as the history's start
        if creating or new_state != premises.state:
            if not creating:
                premises.save()
            premises.change_state(new_state, user=user, partner=self.partner, refresh=refresh)
        else:
            premises.save()
            if refresh:
                premises.refresh_matches()
        return premises


class PhotoForm(forms.Form):
    """One photo: JPEG, PNG or WebP, 8 Mo at most, stored as a JPEG of 1600 px at most."""

    MAX_BYTES = 8 * 1024 * 1024
    MAX_SIDE = 1600
    FORMATS = {"JPEG", "PNG", "WEBP"}
    MAX_PER_PREMISES = 12

    image = forms.FileField(
        label="Photo",
        help_text="JPEG, PNG ou WebP, 8 Mo au plus.",
        error_messages={"required": "Choisissez une photo.", "empty": "Le fichier est vide."},
    )
    caption = forms.CharField(label="Légende (facultatif)", required=False, max_length=200)

    def __init__(self, *args, premises, **kwargs):
        super().__init__(*args, **kwargs)
        self.premises = premises

    MAX_PIXELS = 40_000_000

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if self.premises.photos.count() >= self.MAX_PER_PREMISES:
            raise ValidationError(f"{self.MAX_PER_PREMISES} photos au plus par local.")
        if upload.size > self.MAX_BYTES:
            raise ValidationError("La photo doit peser 8 Mo au plus.")
        try:
            with Image.open(upload) as image:
                if image.format not in self.FORMATS:
                    raise ValidationError("La photo doit être une image JPEG, PNG ou WebP.")
                if image.width * image.height > self.MAX_PIXELS:
                    raise ValidationError(
                        "Cette image est trop grande (plus de 40 millions de pixels) : "
                        "réduisez-la avant de l’envoyer."
                    )
                image.load()
                # Phones store portraits sideways with an orientation tag: apply it.
                image = ImageOps.exif_transpose(image).convert("RGB")
                image.thumbnail((self.MAX_SIDE, self.MAX_SIDE))
                out = io.BytesIO()
                image.save(out, "JPEG", quality=85, optimize=True)
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            raise ValidationError(
                "Ce fichier n’est pas une image lisible : choisissez une photo JPEG, PNG ou WebP."
            ) from None
        return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")

    def save(self):
        return PremisesPhoto.objects.create(
            premises=self.premises,
            image=self.cleaned_data["image"],
            caption=self.cleaned_data["caption"],
        )


class StateForm(forms.Form):
    state = forms.ChoiceField(label="Nouvel état", choices=PremisesState.choices)
    note = forms.CharField(label="Commentaire (facultatif)", required=False, max_length=500)


class ImportForm(forms.Form):
    MAX_BYTES = 2 * 1024 * 1024

    file = forms.FileField(
        label="Fichier CSV",
        help_text="Séparateur point-virgule ou virgule, encodage UTF-8 ou Windows (Excel), "
        "2 Mo au plus.",
        error_messages={"required": "Choisissez le fichier CSV à importer."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError("Le fichier doit peser 2 Mo au plus.")
        return upload
