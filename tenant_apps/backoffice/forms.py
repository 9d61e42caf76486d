"""Forms of the back-office: the inbox filters, the demand's follow-up, bulk actions."""

from datetime import timedelta

from django import forms
from django.db import models
from django.utils import timezone

from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import User
from shared_apps.partners.models import Partner
from tenant_apps.demands.enums import ActivityCategory, DemandStatus
from tenant_apps.network.models import NetworkMember
from tenant_apps.premises.enums import PremisesKind
from tenant_apps.premises.models import Area, Premises

ACTIVE, ALL = "active", "all"
STATUS_CHOICES = [(ACTIVE, "En cours"), (ALL, "Toutes"), *DemandStatus.choices]
SORTS = {
    "recent": ("Plus récentes", ["-created_at"]),
    "oldest": ("Plus anciennes", ["created_at"]),
    "priority": ("Priorité", ["-priority", "created_at"]),
    "next_action": ("Prochaine action", ["next_action_on", "-created_at"]),
    "surface": ("Surface", ["surface_min", "-created_at"]),
}
ANY = [("", "Tous")]


def team_members(territory):
    """Users who may be given a demand: the town's active admins and agents."""
    return User.objects.filter(
        memberships__territory=territory,
        memberships__is_active=True,
        memberships__role__in=[Role.ADMIN, Role.AGENT],
        is_active=True,
    ).order_by("first_name", "last_name", "email")


LEAN_SELECT = "backoffice/widgets/select.html"


def lean_selects(form):
    """The form's selects drawn by one template each, their options inline (the inbox
    draws nine selects and some fifty options on every page)."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget.template_name = LEAN_SELECT


class WithMembers:
    """Forms that offer the team's members (fetched once by the view): `members` → choices."""

    def set_members(self, members, first):
        self.members = {str(member.pk): member for member in members}
        self.fields["assignee"].choices = first + [
            (pk, member.get_full_name() or member.email) for pk, member in self.members.items()
        ]


class InboxFilterForm(WithMembers, forms.Form):
    q = forms.CharField(label="Rechercher", required=False, max_length=200)
    status = forms.ChoiceField(label="Statut", choices=STATUS_CHOICES, required=False)
    area = forms.ModelChoiceField(
        label="Quartier", queryset=Area.objects.all(), required=False, empty_label="Tous"
    )
    category = forms.ChoiceField(
        label="Catégorie", choices=ANY + ActivityCategory.choices, required=False
    )
    premises_kind = forms.ChoiceField(
        label="Type de local", choices=ANY + PremisesKind.choices, required=False
    )
    surface = forms.IntegerField(
        label="Surface (m²)",
        required=False,
        min_value=1,
        max_value=10_000,
        help_text="Demandes dont la fourchette comprend cette surface.",
    )
    budget = forms.IntegerField(
        label="Loyer (€/mois)",
        required=False,
        min_value=0,
        max_value=100_000,
        help_text="Demandes prêtes à payer au moins ce loyer.",
    )
    age = forms.IntegerField(
        label="Reçues depuis (jours)", required=False, min_value=1, max_value=3650
    )
    assignee = forms.ChoiceField(label="Suivie par", required=False)
    tag = forms.CharField(label="Étiquette", required=False, max_length=40)
    needs_action = forms.BooleanField(label="À traiter seulement", required=False)
    sort = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=[(key, label) for key, (label, _) in SORTS.items()],
    )

    def __init__(self, *args, members, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.set_members(members, [("", "Tous"), ("me", "Moi"), ("none", "Personne")])
        lean_selects(self)

    def apply(self, demands, town_settings, *, with_status=True):
        """The demands the filters select (all of them when the filters are invalid)."""
        if not self.is_valid():
            return demands.open() if with_status else demands
        data = self.cleaned_data
        status = data["status"] or ACTIVE
        if with_status:
            if status == ACTIVE:
                demands = demands.open()
            elif status != ALL:
                demands = demands.filter(status=status)
        if data["q"]:
            demands = demands.matching_text(data["q"])
        if data["area"]:
            demands = demands.filter(areas=data["area"])
        if data["category"]:
            demands = demands.filter(activity_category=data["category"])
        if data["premises_kind"]:
            demands = demands.filter(premises_kind=data["premises_kind"])
        if data["surface"]:
            demands = demands.filter(
                surface_min__lte=data["surface"], surface_max__gte=data["surface"]
            )
        if data["budget"] is not None:
            demands = demands.filter(monthly_budget__gte=data["budget"])
        if data["age"]:
            demands = demands.filter(created_at__gte=timezone.now() - timedelta(days=data["age"]))
        assignee = data["assignee"]
        if assignee == "me":
            demands = demands.filter(assignee=self.user)
        elif assignee == "none":
            demands = demands.filter(assignee__isnull=True)
        elif assignee:
            demands = demands.filter(assignee_id=int(assignee))
        if data["tag"]:
            demands = demands.filter(tags__contains=[data["tag"].strip().lower()])
        if data["needs_action"]:
            demands = demands.needing_action(town_settings)
        return demands.distinct() if data["area"] else demands

    def ordering(self):
        key = self.cleaned_data.get("sort") if self.is_valid() else ""
        return SORTS.get(key or "recent")[1]


def clean_tags(text):
    tags = {tag.strip().lower()[:40] for tag in text.replace(";", ",").split(",")}
    return sorted(tag for tag in tags if tag)[:20]


class FollowUpForm(WithMembers, forms.Form):
    """Assignee, tags and next action date of one demand."""

    assignee = forms.ChoiceField(label="Suivie par", required=False)
    tags = forms.CharField(
        label="Étiquettes",
        required=False,
        max_length=500,
        help_text="Séparées par des virgules, par exemple : prioritaire, boutique à l’essai.",
    )
    next_action_on = forms.DateField(
        label="Prochaine action le",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Saisissez une date valide, par exemple 15/09/2027."},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_members(members, [("", "Personne")])
        lean_selects(self)

    def clean_tags(self):
        return clean_tags(self.cleaned_data["tags"])

    def clean_next_action_on(self):
        day = self.cleaned_data["next_action_on"]
        if day and day < timezone.localdate() - timedelta(days=365):
            raise forms.ValidationError("Choisissez une date récente ou à venir.")
        return day

    def assignee_user(self):
        return self.members.get(self.cleaned_data["assignee"])


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note interne",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Visible de l’équipe seulement.",
        error_messages={"required": "Écrivez la note avant de l’enregistrer."},
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Nouveau statut", choices=DemandStatus.choices)
    message = forms.CharField(
        label="Commentaire (facultatif)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, demand, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = demand.allowed_transitions()
        self.fields["status"].choices = [(s.value, s.label) for s in allowed]


BULK_ACTIONS = [
    ("assign", "Attribuer à"),
    ("tag", "Ajouter l’étiquette"),
    ("status", "Passer au statut"),
]


class BulkForm(WithMembers, forms.Form):
    action = forms.ChoiceField(label="Action", choices=BULK_ACTIONS)
    assignee = forms.ChoiceField(label="Suivie par", required=False)
    tag = forms.CharField(label="Étiquette", required=False, max_length=40)
    status = forms.ChoiceField(
        label="Statut", required=False, choices=[("", "—"), *DemandStatus.choices]
    )
    scope = forms.ChoiceField(
        choices=[
            ("selected", "Les demandes cochées"),
            ("filtered", "Toutes les demandes filtrées"),
        ],
        required=False,
    )

    def __init__(self, *args, members, **kwargs):
        # On the inbox page next to the filters' fields of the same names: distinct ids,
        # or each label would point at the filter's field.
        kwargs.setdefault("auto_id", "id_bulk_%s")
        super().__init__(*args, **kwargs)
        self.set_members(members, [("", "Personne")])
        lean_selects(self)

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == "tag" and not clean_tags(cleaned.get("tag", "")):
            self.add_error("tag", "Indiquez l’étiquette à ajouter.")
        if action == "status" and not cleaned.get("status"):
            self.add_error("status", "Choisissez le statut.")
        return cleaned

    def selected_ids(self, data):
        """The ticked demands' ids (the `selected` checkboxes, or comma-separated)."""
        ids = []
        for value in data.getlist("selected"):
            ids += [int(part) for part in value.split(",") if part.strip().isdigit()]
        return ids[:1000]

    def filter_scope(self, data, filtered):
        if self.cleaned_data.get("scope") == "filtered":
            return filtered
        return filtered.model.objects.filter(pk__in=self.selected_ids(data))


class IntroductionForm(forms.Form):
    partner = forms.ModelChoiceField(
        label="Partenaire",
        queryset=Partner.objects.visible().exclude(email="").order_by("name"),
        empty_label="Choisir un partenaire",
        error_messages={
            "required": "Choisissez le partenaire.",
            "invalid_choice": "Ce partenaire n’existe pas.",
        },
    )
    message = forms.CharField(
        label="Message pour les deux parties (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        # Its `message` sits on the demand's page next to the status form's.
        kwargs.setdefault("auto_id", "id_introduction_%s")
        super().__init__(*args, **kwargs)
        # The town's own partners: its network, and whoever manages one of its premises.
        members = NetworkMember.objects.active().values("partner_id")
        managers = Premises.objects.exclude(managing_partner=None).values("managing_partner")
        self.fields["partner"].queryset = self.fields["partner"].queryset.filter(
            models.Q(pk__in=members) | models.Q(pk__in=managers)
        )
