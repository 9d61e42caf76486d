"""The forms of tasks: add or change one, and the « Mes tâches » filter."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from tenant_apps.backoffice.forms import team_members

MAX_YEARS_AHEAD = 5


class TaskForm(forms.Form):
    prefix = "tache"  # its fields' ids stay unique on the demand's and premises' pages
    title = forms.CharField(
        label="Tâche",
        max_length=200,
        help_text="Par exemple : rappeler le porteur après sa visite.",
    )
    assignee = forms.ChoiceField(label="Confiée à")
    due_on = forms.DateField(
        label="Échéance", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, territory, user=None, task=None, **kwargs):
        self.task = task
        if task is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": task.title,
                    "assignee": str(task.assignee_id or ""),
                    "due_on": task.due_on,
                },
            )
        else:
            kwargs.setdefault(
                "initial",
                {
                    "assignee": str(user.pk) if user else "",
                    "due_on": timezone.localdate() + timedelta(days=1),
                },
            )
        super().__init__(*args, **kwargs)
        members = list(team_members(territory))
        # Someone who has since left the team keeps the tasks they had, until reassigned.
        if task is not None and task.assignee and task.assignee not in members:
            members.append(task.assignee)
        self.members = {str(member.pk): member for member in members}
        self.fields["assignee"].choices = [
            (pk, member.get_full_name() or member.email) for pk, member in self.members.items()
        ]

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        today = timezone.localdate()
        unchanged = self.task is not None and due_on == self.task.due_on
        if due_on < today and not unchanged:
            raise forms.ValidationError(
                f"L’échéance ne peut pas être passée : le {today:%d/%m/%Y} au plus tôt."
            )
        if due_on > today + timedelta(days=round(365.25 * MAX_YEARS_AHEAD)):
            raise forms.ValidationError(
                f"L’échéance doit tomber dans les {MAX_YEARS_AHEAD} ans qui viennent."
            )
        return due_on

    def apply(self, task):
        """Copy the cleaned data onto `task` (unsaved)."""
        task.title = self.cleaned_data["title"]
        task.assignee = self.members[self.cleaned_data["assignee"]]
        task.due_on = self.cleaned_data["due_on"]
        return task


MINE, TEAM = "moi", "equipe"


class MyTasksFilter(forms.Form):
    qui = forms.ChoiceField(
        label="Tâches de",
        choices=[(MINE, "Moi"), (TEAM, "Toute l’équipe")],
        required=False,
        widget=forms.RadioSelect,
    )

    def whose(self):
        if self.is_valid() and self.cleaned_data["qui"] == TEAM:
            return TEAM
        return MINE
