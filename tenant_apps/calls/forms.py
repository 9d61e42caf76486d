"""The call's form (its conditions locked once published), its criteria grid, and the
porteur's application."""

import re
from datetime import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone

from shared_apps.partners.models import Partner
from shared_apps.referential.validators import normalise_french_phone
from tenant_apps.calls.enums import MAX_CRITERIA, MAX_PLAN_BYTES, CallKind
from tenant_apps.calls.models import Call, rent_schedule_errors
from tenant_apps.calls.uploads import TOO_BIG, pdf_problem, read_upload
from tenant_apps.demands.enums import LeaseKind
from tenant_apps.network.models import NetworkMember
from tenant_apps.premises.models import Premises

# What stays editable once the call is published; the rest are its conditions.
EDITABLE_WHEN_PUBLISHED = {"title", "description", "deadline_day", "deadline_time"}
AMOUNT = re.compile(r"^\d{1,7}$")


class CallForm(forms.ModelForm):
    deadline_day = forms.DateField(
        label="Date limite de candidature",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deadline_time = forms.TimeField(
        label="Heure limite",
        help_text="Heure de Paris, au format 12:00.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    rent_schedule = forms.CharField(
        label="Loyers mois par mois (€)",
        help_text="Un montant par mois d’essai, séparés par des virgules, du premier au "
        "dernier mois. Exemple pour 6 mois : 300, 300, 450, 450, 600, 600. Jamais gratuit, "
        "jamais en baisse, jamais au-dessus du loyer de marché.",
        max_length=500,
    )

    class Meta:
        model = Call
        fields = [
            "premises",
            "title",
            "kind",
            "starts_on",
            "ends_on",
            "places",
            "description",
            "trial_months",
            "market_rent",
            "rent_schedule",
            "lease_kind",
            "support_partner",
            "commitments",
        ]
        labels = {"starts_on": "Ouverte du (boutique éphémère)", "ends_on": "Au"}
        help_texts = {
            "places": "Pour une boutique partagée : combien de commerçants ou d’artisans.",
            "commitments": "Par exemple : ouvrir au moins 5 jours sur 7, suivre "
            "l’accompagnement, tenir la vitrine.",
            "market_rent": "Le loyer une fois l’essai réussi ; le calendrier y monte.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "commitments": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, instance=None, partner=None, **kwargs):
        if instance is not None and instance.pk:
            deadline = timezone.localtime(instance.deadline)
            kwargs.setdefault(
                "initial",
                {
                    "deadline_day": deadline.date(),
                    "deadline_time": deadline.time().replace(second=0, microsecond=0),
                    "rent_schedule": ", ".join(str(rent) for rent in instance.rent_schedule),
                },
            )
        super().__init__(*args, instance=instance, **kwargs)
        premises = Premises.objects.available()
        if partner is not None:
            # A partner drafts calls for the premises it manages only.
            premises = premises.managed_by(partner)
        partners = Partner.objects.filter(
            pk__in=NetworkMember.objects.active().values("partner_id")
        )
        if instance is not None and instance.pk:
            # A premises let since, a partner gone from the network: still the call's own.
            premises = Premises.objects.filter(Q(pk__in=premises) | Q(pk=instance.premises_id))
            partners = Partner.objects.filter(
                Q(pk__in=partners) | Q(pk=instance.support_partner_id)
            )
        self.fields["premises"].queryset = premises.order_by("address")
        self.fields["support_partner"].queryset = partners.order_by("name")
        self.fields["support_partner"].help_text = "Un partenaire du réseau de la ville."
        self.fields["lease_kind"].choices = [("", "Choisir")] + LeaseKind.choices
        self.fields["kind"].choices = CallKind.choices
        if instance is not None and instance.pk and not instance.is_draft:
            # Published: the conditions porteurs applied to no longer change (disabled
            # fields ignore whatever is posted for them).
            for name, field in self.fields.items():
                if name not in EDITABLE_WHEN_PUBLISHED:
                    field.disabled = True

    def clean_rent_schedule(self):
        if self.fields["rent_schedule"].disabled:
            return self.instance.rent_schedule
        text = self.cleaned_data["rent_schedule"]
        rents = []
        for part in re.split(r"[,;\n]+", text):
            amount = part.strip().removesuffix("€").strip().replace(" ", "").replace("\u202f", "")
            if not amount:
                continue
            if not AMOUNT.match(amount):
                raise forms.ValidationError(
                    f"« {part.strip()} » n’est pas un montant en euros (un nombre entier)."
                )
            rents.append(int(amount))
        if not rents:
            raise forms.ValidationError("Indiquez le loyer de chaque mois de l’essai.")
        return rents

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == CallKind.POP_UP:
            starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
            if not starts_on:
                self.add_error("starts_on", "Une boutique éphémère a une date d’ouverture.")
            if not ends_on:
                self.add_error("ends_on", "Une boutique éphémère a une date de fermeture.")
            if starts_on and ends_on and ends_on < starts_on:
                self.add_error("ends_on", "La fermeture vient après l’ouverture.")
        elif kind == CallKind.SHARED and (data.get("places") or 0) < 2:
            self.add_error("places", "Une boutique partagée accueille au moins 2 commerçants.")
        if "rent_schedule" in data and not self.fields["rent_schedule"].disabled:
            for error in rent_schedule_errors(
                data["rent_schedule"], data.get("market_rent"), data.get("trial_months")
            ):
                self.add_error("rent_schedule", error)
        day, at = data.get("deadline_day"), data.get("deadline_time")
        if day and at:
            deadline = timezone.make_aware(datetime.combine(day, at))
            changed = self.instance.pk is None or deadline != self.instance.deadline
            if changed and deadline <= timezone.now():
                self.add_error("deadline_day", "La date limite doit être à venir.")
            data["deadline"] = deadline
        return data

    def save(self, commit=True):
        call = super().save(commit=False)
        call.deadline = self.cleaned_data["deadline"]
        # Dates belong to a pop-up shop, places to a shared one.
        if call.kind != CallKind.POP_UP:
            call.starts_on = call.ends_on = None
        if call.kind != CallKind.SHARED:
            call.places = None
        if commit:
            call.save()
        return call


class CriterionForm(forms.Form):
    name = forms.CharField(label="Critère", max_length=120, required=False)
    weight = forms.IntegerField(label="Poids (%)", min_value=1, max_value=100, required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and data.get("weight") is None and "weight" not in self.errors:
            self.add_error("weight", "Donnez un poids à ce critère.")
        if data.get("weight") is not None and not data.get("name"):
            self.add_error("name", "Nommez ce critère.")
        return data


class BaseCriteriaFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        criteria = [
            (form.cleaned_data["name"].strip(), form.cleaned_data["weight"])
            for form in self.forms
            if form.cleaned_data.get("name")
        ]
        if not criteria:
            raise forms.ValidationError("Indiquez au moins un critère de sélection.")
        names = [name.casefold() for name, _ in criteria]
        if len(set(names)) != len(names):
            raise forms.ValidationError("Deux critères portent le même nom.")
        total = sum(weight for _, weight in criteria)
        if total != 100:
            raise forms.ValidationError(
                f"Les poids des critères font 100 % ensemble : ils font {total} % ici."
            )
        self.criteria = criteria


CriteriaFormSet = forms.formset_factory(
    CriterionForm,
    formset=BaseCriteriaFormSet,
    extra=0,
    max_num=MAX_CRITERIA,
    absolute_max=MAX_CRITERIA,
    validate_max=True,
)

DEFAULT_CRITERIA = [
    ("Faisabilité du projet", 40),
    ("Motivation", 30),
    ("Savoir-faire", 30),
]


def criteria_formset(data=None, call=None):
    """The grid: the call's criteria (the usual three for a new call), with blank rows up
    to MAX_CRITERIA."""
    if data is not None:
        # Bound: what was posted, row by row (no initial rows to compare it with).
        return CriteriaFormSet(data, prefix="critere")
    if call is not None and call.pk:
        rows = [{"name": c.name, "weight": c.weight} for c in call.criteria.all()]
    else:
        rows = [{"name": name, "weight": weight} for name, weight in DEFAULT_CRITERIA]
    rows += [{}] * (MAX_CRITERIA - len(rows))
    return CriteriaFormSet(initial=rows, prefix="critere")


class ApplicationForm(forms.Form):
    name = forms.CharField(
        label="Nom et prénom",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Indiquez votre nom et votre prénom."},
    )
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="Vous y recevrez la confirmation de votre candidature. Exemple : nom@domaine.fr.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Indiquez votre adresse électronique.",
            "invalid": "Cette adresse électronique n’est pas valide. Exemple : nom@domaine.fr.",
        },
    )
    phone = forms.CharField(
        label="Téléphone",
        max_length=30,
        help_text="Exemple : 06 12 34 56 78.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": "Indiquez un numéro de téléphone."},
    )
    project = forms.CharField(
        label="Votre projet",
        max_length=5000,
        help_text="Ce que vous vendez ou fabriquez, à qui, et pourquoi dans ce local.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Décrivez votre projet."},
    )
    experience = forms.CharField(
        label="Votre expérience",
        max_length=5000,
        help_text="Votre parcours, votre savoir-faire, une première activité peut-être.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Parlez-nous de votre expérience."},
    )
    motivation = forms.CharField(
        label="Votre motivation",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Dites-nous ce qui vous motive."},
    )
    business_plan = forms.FileField(
        label="Plan d’affaires (PDF)",
        help_text=f"Un fichier PDF de {MAX_PLAN_BYTES // (1024 * 1024)} Mo au plus, sans mot "
        "de passe.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "required": "Joignez votre plan d’affaires en PDF.",
            "empty": "Ce fichier est vide.",
            "invalid": "Ce fichier n’a pas pu être lu : joignez-le à nouveau.",
        },
    )

    def clean_phone(self):
        return normalise_french_phone(self.cleaned_data["phone"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_business_plan(self):
        upload = self.cleaned_data["business_plan"]
        if upload.size > MAX_PLAN_BYTES:
            # Judged on the announced size first: a huge file is never read into memory.
            raise forms.ValidationError(TOO_BIG)
        data = read_upload(upload)
        problem = pdf_problem(data)
        if problem:
            raise forms.ValidationError(problem)
        self.plan_bytes = data
        return upload
