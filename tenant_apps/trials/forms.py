"""The trials' forms: start one by hand, note a milestone, record the outcome."""

from django import forms

from tenant_apps.backoffice.forms import team_members
from tenant_apps.calls.enums import CallKind, Decision
from tenant_apps.trials.enums import AYearLater, Outcome
from tenant_apps.trials.services import default_dates


class StartForm(forms.Form):
    application = forms.ChoiceField(
        label="Candidature retenue",
        error_messages={"invalid_choice": "Choisissez une des candidatures retenues."},
    )
    starts_on = forms.DateField(
        label="Début de l’essai",
        help_text="Au format jj/mm/aaaa. La fin suit la durée de l’essai prévue par l’appel.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez la date de début de l’essai.",
            "invalid": "Cette date n’est pas valide. Exemple : 01/03/2027.",
        },
    )
    assignee = forms.ChoiceField(
        label="Suivi par",
        help_text="Les points d’étape (1, 3, 6 et 12 mois) seront ses tâches.",
        error_messages={"invalid_choice": "Choisissez un membre de l’équipe."},
    )

    def __init__(self, *args, call, territory, **kwargs):
        self.call = call
        starts_on, _ = default_dates(call)
        initial = {"starts_on": starts_on, "assignee": str(call.created_by_id or "")}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.applications = {
            str(application.pk): application
            for application in call.applications.filter(
                decision=Decision.SELECTED, trial__isnull=True
            )
        }
        self.fields["application"].choices = [
            (pk, application.name) for pk, application in self.applications.items()
        ]
        self.members = {str(member.pk): member for member in team_members(territory)}
        self.fields["assignee"].choices = [
            (pk, member.get_full_name() or member.email) for pk, member in self.members.items()
        ]
        if call.kind == CallKind.POP_UP:
            self.fields[
                "starts_on"
            ].help_text = f"La boutique éphémère se termine le {call.ends_on:%d/%m/%Y}."

    def clean_starts_on(self):
        starts_on = self.cleaned_data["starts_on"]
        if self.call.kind == CallKind.POP_UP and starts_on > self.call.ends_on:
            raise forms.ValidationError(
                f"La boutique éphémère se termine le {self.call.ends_on:%d/%m/%Y} : "
                "l’essai doit commencer avant."
            )
        return starts_on

    def chosen(self):
        return (
            self.applications[self.cleaned_data["application"]],
            self.members[self.cleaned_data["assignee"]],
        )


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Notes du point d’étape",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, milestone, **kwargs):
        kwargs.setdefault("initial", {"note": milestone.note})
        kwargs.setdefault("prefix", f"point-{milestone.pk}")
        super().__init__(*args, **kwargs)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Comment l’essai s’est-il terminé ?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez l’issue de l’essai.",
            "invalid_choice": "Choisissez une des issues proposées.",
        },
    )
    note = forms.CharField(
        label="Précisions (facultatif)",
        max_length=2000,
        required=False,
        help_text="Par exemple : bail commercial signé le…, nouvelle adresse…",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AYearLaterForm(forms.Form):
    answer = forms.ChoiceField(
        label="Un an après la fin de l’essai, l’entreprise est…",
        choices=AYearLater.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une réponse.",
            "invalid_choice": "Choisissez une des réponses proposées.",
        },
    )
