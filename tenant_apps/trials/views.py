"""The trials in the back-office, under /gestion/essais/: staff read, editors write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shared_apps.accounts.perms import town_editor_required, town_staff_required
from tenant_apps.calls.perms import call_for
from tenant_apps.trials.forms import AYearLaterForm, NoteForm, OutcomeForm, StartForm
from tenant_apps.trials.models import Trial
from tenant_apps.trials.perms import milestone_for, trial_for
from tenant_apps.trials.services import start_trial


@town_staff_required()
def trial_list(request):
    trials = Trial.objects.with_everything().order_by("outcome", "-starts_on", "-pk")
    return render(
        request,
        "trials/list.html",
        {"trials": trials, "today": timezone.localdate(), "nav": "calls", "title": "Essais"},
    )


@town_editor_required
def start(request, call_pk):
    call = call_for(request, call_pk)
    form = StartForm(request.POST or None, call=call, territory=request.tenant)
    if request.method == "POST" and form.is_valid():
        application, assignee = form.chosen()
        try:
            trial = start_trial(
                application,
                by=request.user,
                starts_on=form.cleaned_data["starts_on"],
                assignee=assignee,
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, "Essai commencé : ses points d’étape sont dans les tâches.")
            return redirect("trials:detail", trial.pk)
    return render(
        request,
        "trials/start.html",
        {"call": call, "form": form, "nav": "calls", "title": "Commencer un essai"},
        status=400 if form.is_bound else 200,
    )


def detail_page(request, trial, *, outcome_form=None, year_form=None, status=200):
    milestones = list(trial.milestones.select_related("task", "task__assignee"))
    can_edit = request.membership.can_edit
    return render(
        request,
        "trials/detail.html",
        {
            "trial": trial,
            "milestones": [
                (milestone, NoteForm(milestone=milestone) if can_edit else None)
                for milestone in milestones
            ],
            "outcome_form": outcome_form or OutcomeForm(),
            "year_form": year_form or AYearLaterForm(),
            "a_year_on": timezone.localdate() >= trial.a_year_after_end,
            "can_edit": can_edit,
            "nav": "calls",
            "title": str(trial),
        },
        status=status,
    )


@town_staff_required()
def detail(request, pk):
    return detail_page(request, trial_for(request, pk))


@require_POST
@town_editor_required
def milestone_note(request, pk, milestone_pk):
    trial = trial_for(request, pk)
    milestone = milestone_for(trial, milestone_pk)
    form = NoteForm(request.POST, milestone=milestone)
    if form.is_valid():
        milestone.write_note(form.cleaned_data["note"])
        messages.success(request, f"Notes du {milestone.label.lower()} enregistrées.")
    else:
        messages.error(request, "Les notes ne doivent pas dépasser 5 000 caractères.")
    return redirect(f"{trial_path(trial)}#point-{milestone.pk}")


def trial_path(trial):
    return reverse("trials:detail", args=[trial.pk])


@require_POST
@town_editor_required
def outcome(request, pk):
    trial = trial_for(request, pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return detail_page(request, trial, outcome_form=form, status=400)
    if request.POST.get("confirmation") != "oui":
        # The premises changes state: the confirmation page's button does it.
        return render(
            request,
            "trials/outcome_confirm.html",
            {
                "trial": trial,
                "form": form,
                "outcome_label": dict(form.fields["outcome"].choices)[form.cleaned_data["outcome"]],
                "hidden": [
                    ("outcome", form.cleaned_data["outcome"]),
                    ("note", form.cleaned_data["note"]),
                ],
                "nav": "calls",
                "title": "Noter l’issue de l’essai",
            },
        )
    try:
        trial.record_outcome(
            form.cleaned_data["outcome"], note=form.cleaned_data["note"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            f"Issue notée ; le local est désormais « {trial.premises.get_state_display()} ».",
        )
    return redirect("trials:detail", trial.pk)


@require_POST
@town_editor_required
def a_year_later(request, pk):
    trial = trial_for(request, pk)
    form = AYearLaterForm(request.POST)
    if not form.is_valid():
        return detail_page(request, trial, year_form=form, status=400)
    trial.record_a_year_later(form.cleaned_data["answer"])
    messages.success(request, "C’est noté.")
    return redirect("trials:detail", trial.pk)
