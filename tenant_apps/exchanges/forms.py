"""The form that logs or changes an exchange."""

from datetime import datetime, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone

from shared_apps.partners.models import Partner
from tenant_apps.backoffice.forms import team_members
from tenant_apps.exchanges.enums import ExchangeKind
from tenant_apps.exchanges.models import MAX_MINUTES
from tenant_apps.network.models import NetworkMember

OLDEST_YEAR = 2000


def network_partners():
    """The partners of the town's network (active members)."""
    return Partner.objects.filter(
        pk__in=NetworkMember.objects.active().values("partner_id")
    ).order_by("name")


class ExchangeForm(forms.Form):
    prefix = "echange"  # its fields' ids stay unique on the demand's page
    kind = forms.ChoiceField(label="Type d’échange", choices=ExchangeKind.choices)
    day = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label="Heure",
        help_text="Au format 14:30.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)",
        required=False,
        min_value=1,
        max_value=MAX_MINUTES,
        help_text="Facultative, par exemple pour un courriel.",
    )
    team_members = forms.ModelMultipleChoiceField(
        label="Membres de l’équipe présents",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.ModelMultipleChoiceField(
        label="Partenaires du réseau présents",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others = forms.CharField(
        label="Autres participants",
        required=False,
        max_length=300,
        help_text="Par exemple : le porteur et son associée, le propriétaire du local.",
    )
    summary = forms.CharField(
        label="Compte rendu", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, territory, exchange=None, user=None, **kwargs):
        if exchange is not None:
            when = timezone.localtime(exchange.happened_at)
            kwargs.setdefault(
                "initial",
                {
                    "kind": exchange.kind,
                    "day": when.date(),
                    "time": when.time().replace(second=0, microsecond=0),
                    "duration_minutes": exchange.duration_minutes,
                    "team_members": list(exchange.team_members.all()),
                    "partners": list(exchange.partners.all()),
                    "others": exchange.others,
                    "summary": exchange.summary,
                },
            )
        else:
            now = timezone.localtime()
            kwargs.setdefault(
                "initial",
                {
                    "kind": ExchangeKind.CALL,
                    "day": now.date(),
                    "time": now.time().replace(second=0, microsecond=0),
                    "team_members": [user] if user is not None else [],
                },
            )
        super().__init__(*args, **kwargs)
        # Someone who has since left the team or the network stays ticked on the exchanges
        # they took part in.
        members = team_members(territory)
        partners = network_partners()
        if exchange is not None:
            members = members.model.objects.filter(
                Q(pk__in=members.values("pk")) | Q(pk__in=exchange.team_members.values("pk"))
            ).order_by("first_name", "last_name", "email")
            partners = Partner.objects.filter(
                Q(pk__in=partners.values("pk")) | Q(pk__in=exchange.partners.values("pk"))
            ).order_by("name")
        self.fields["team_members"].queryset = members
        self.fields["team_members"].label_from_instance = lambda u: u.get_full_name() or u.email
        self.fields["partners"].queryset = partners

    def clean(self):
        data = super().clean()
        day, at = data.get("day"), data.get("time")
        if day is None or at is None:
            return data
        if day.year < OLDEST_YEAR:
            self.add_error("day", "Cette date est trop ancienne.")
            return data
        happened_at = timezone.make_aware(datetime.combine(day, at))
        if happened_at > timezone.now() + timedelta(hours=1):
            self.add_error(
                "day",
                "Un échange se note une fois qu’il a eu lieu : pour en prévoir un, "
                "créez une tâche.",
            )
        data["happened_at"] = happened_at
        return data

    def apply(self, exchange):
        """Copy the cleaned data onto `exchange` (unsaved); returns the participants."""
        data = self.cleaned_data
        exchange.kind = data["kind"]
        exchange.happened_at = data["happened_at"]
        exchange.duration_minutes = data["duration_minutes"]
        exchange.others = data["others"].strip()
        exchange.summary = data["summary"].strip()
        return {"team_members": data["team_members"], "partners": data["partners"]}
