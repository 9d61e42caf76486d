"""The tasks' parts of other apps' pages, each computing its own context: {% load tasks %}
then {% subject_tasks demand=demand %} (the list) and {% add_task_form demand %} (the
form) on a demand's page, {% subject_tasks premises=premises with_form=True %} (both) on
a premises' page."""

from django import template
from django.urls import reverse
from django.utils import timezone

from tenant_apps.tasks.forms import TaskForm

register = template.Library()


def can_edit(request):
    membership = getattr(request, "membership", None)
    return membership is not None and membership.can_edit


def add_form_context(request, subject):
    if subject._meta.model_name == "demand":
        action = reverse("tasks:add_to_demand", args=[subject.reference])
    else:
        action = reverse("tasks:add_to_premises", args=[subject.pk])
    return {"form": TaskForm(territory=request.tenant, user=request.user), "action": action}


@register.inclusion_tag("tasks/subject_tasks.html", takes_context=True)
def subject_tasks(context, demand=None, premises=None, with_form=False):
    request = context["request"]
    subject = demand or premises
    tasks = list(subject.tasks.select_related("assignee", "done_by").order_by("due_on", "pk"))
    found = {
        "open_tasks": [task for task in tasks if not task.is_done],
        "done_tasks": [task for task in tasks if task.is_done],
        "caption": f"Tâches à faire sur {'cette demande' if demand else 'ce local'}, par échéance",
        "can_edit": can_edit(request),
        "with_form": with_form,
        "today": timezone.localdate(),
        "next": request.path + "#taches",
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
    if with_form and found["can_edit"]:
        found |= add_form_context(request, subject)
    return found


@register.inclusion_tag("tasks/add_form.html", takes_context=True)
def add_task_form(context, demand):
    request = context["request"]
    return {
        **add_form_context(request, demand),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
