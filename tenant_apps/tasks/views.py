"""« Mes tâches », the tasks of a demand or a premises (add, change, delete, done), and
each person's calendar feed: its page, its secret address, the feed itself."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from shared_apps.accounts.perms import town_editor_required, town_staff_required
from tenant_apps.demands.perms import demand_for
from tenant_apps.premises.perms import premises_for
from tenant_apps.tasks.forms import MINE, MyTasksFilter, TaskForm
from tenant_apps.tasks.ics import tasks_calendar
from tenant_apps.tasks.models import RECENTLY_DONE, CalendarFeed, Task
from tenant_apps.tasks.perms import task_for
from tenant_apps.tasks.services import group_open_tasks


def page(request, template, context, *, status=200):
    return render(request, f"tasks/{template}", {"nav": "tasks", **context}, status=status)


@town_staff_required()
def my_tasks(request):
    """Open tasks grouped by when they are due, mine or the whole team's; and the ones
    done this week, to undo a click."""
    form = MyTasksFilter(request.GET or None)
    whose = form.whose()
    tasks = Task.objects.with_subject()
    if whose == MINE:
        tasks = tasks.assigned_to(request.user)
    today = timezone.localdate()
    return page(
        request,
        "my_tasks.html",
        {
            "form": form,
            "whose": whose,
            "today": today,
            "groups": group_open_tasks(tasks.open().order_by("due_on", "pk"), today),
            "done": tasks.recently_done(timezone.now() - RECENTLY_DONE).order_by("-done_at"),
            "can_edit": request.membership.can_edit,
            "title": "Mes tâches",
        },
    )


def form_page(request, form, *, about, cancel_url, action, task=None):
    return page(
        request,
        "form.html",
        {
            "form": form,
            "task": task,
            "about": about,
            "action": action,
            "cancel_url": cancel_url,
            "title": "Modifier une tâche" if task else "Nouvelle tâche",
        },
        status=400 if form.is_bound else 200,
    )


def add(request, task, *, about, cancel_url, action):
    if request.method != "POST":
        form = TaskForm(territory=request.tenant, user=request.user)
        return form_page(request, form, about=about, cancel_url=cancel_url, action=action)
    form = TaskForm(request.POST, territory=request.tenant)
    if not form.is_valid():
        return form_page(request, form, about=about, cancel_url=cancel_url, action=action)
    form.apply(task).add(by=request.user)
    messages.success(request, f"Tâche créée : {task.title}.")
    return redirect(cancel_url)


@town_editor_required
def add_to_demand(request, reference):
    demand = demand_for(request, reference)
    if demand.erased_at:
        # Titles may name the porteur, and reach the calendar feeds: none after erasure.
        messages.error(
            request,
            "Les données de ce porteur sont effacées : aucune tâche ne peut plus y être ajoutée.",
        )
        return redirect(reverse("backoffice:demand", args=[demand.reference]))
    return add(
        request,
        Task(demand=demand),
        about=f"la demande {demand.reference} ({demand.activity})",
        cancel_url=reverse("backoffice:demand", args=[demand.reference]) + "#taches",
        action=reverse("tasks:add_to_demand", args=[demand.reference]),
    )


@town_editor_required
def add_to_premises(request, pk):
    premises = premises_for(request, pk)
    return add(
        request,
        Task(premises=premises),
        about=f"le local {premises.address}",
        cancel_url=reverse("backoffice:premises_detail", args=[premises.pk]) + "#taches",
        action=reverse("tasks:add_to_premises", args=[premises.pk]),
    )


def subject_url(task):
    return task.path() + "#taches"


@town_editor_required
def edit(request, pk):
    task = task_for(request, pk)
    about = f"la demande {task.subject}" if task.demand_id else f"le local {task.subject}"
    context = {"about": about, "cancel_url": subject_url(task), "action": request.path}
    if request.method != "POST":
        form = TaskForm(territory=request.tenant, task=task)
        return form_page(request, form, task=task, **context)
    form = TaskForm(request.POST, territory=request.tenant, task=task)
    if not form.is_valid():
        return form_page(request, form, task=task, **context)
    form.apply(task).save()
    messages.success(request, f"Tâche modifiée : {task.title}.")
    return redirect(subject_url(task))


@require_POST
@town_editor_required
def delete(request, pk):
    task = task_for(request, pk)
    if request.POST.get("confirmation") != "oui":
        # A POST without the confirmation page's button deletes nothing.
        return page(request, "delete.html", {"task": task, "title": "Supprimer une tâche"})
    task.delete()
    messages.success(request, f"Tâche supprimée : {task.title}.")
    return redirect(subject_url(task))


def back(request, task):
    """Where the inline button was: the `next` field when it is one of this site's
    paths, else « Mes tâches »."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("tasks:my_tasks")


@require_POST
@town_editor_required
def mark_done(request, pk):
    task = task_for(request, pk)
    if task.mark_done(by=request.user):
        messages.success(request, f"Tâche faite : {task.title}.")
    return back(request, task)


@require_POST
@town_editor_required
def mark_undone(request, pk):
    task = task_for(request, pk)
    if task.mark_undone():
        messages.success(request, f"Tâche de nouveau à faire : {task.title}.")
    return back(request, task)


# The calendar feed -----------------------------------------------------------------------


@town_staff_required()
def calendar(request):
    return page(
        request,
        "calendar.html",
        {
            "feed": CalendarFeed.objects.filter(user=request.user).first(),
            "title": "Mes tâches dans mon agenda",
        },
    )


def own_calendar(request):
    """The person's own calendar address; ANCT's read-only consultation has none to make
    or change (its membership is not saved)."""
    if request.membership.pk is None:
        raise PermissionDenied("La consultation par l’ANCT ne modifie rien.")
    return CalendarFeed.objects.filter(user=request.user).first()


def feed_url(request, token):
    return request.tenant.url(reverse("tasks:calendar_feed", args=[token]))


@require_POST
@town_staff_required()
def calendar_link(request):
    """A new secret address; when there was one, a confirmation first (it stops working)."""
    feed = own_calendar(request)
    if feed is not None and request.POST.get("confirmation") != "oui":
        return page(
            request,
            "calendar_confirm.html",
            {
                "feed": feed,
                "action": reverse("tasks:calendar_link"),
                "confirm_label": "Oui, remplacer l’adresse",
                "title": "Régénérer l’adresse de mon agenda",
            },
        )
    token = CalendarFeed.issue(request.user)
    # Shown this once: only its hash is kept.
    return page(
        request,
        "calendar.html",
        {
            "feed": CalendarFeed.objects.get(user=request.user),
            "url": feed_url(request, token),
            "webcal_url": "webcal://" + feed_url(request, token).partition("://")[2],
            "title": "Mes tâches dans mon agenda",
        },
    )


@require_POST
@town_staff_required()
def calendar_revoke(request):
    feed = own_calendar(request)
    if feed is None:
        return redirect("tasks:calendar")
    if request.POST.get("confirmation") != "oui":
        return page(
            request,
            "calendar_confirm.html",
            {
                "feed": feed,
                "revoke": True,
                "action": reverse("tasks:calendar_revoke"),
                "confirm_label": "Oui, désactiver l’adresse",
                "title": "Désactiver l’adresse de mon agenda",
            },
        )
    feed.delete()
    messages.success(request, "L’adresse de votre agenda ne fonctionne plus.")
    return redirect("tasks:calendar")


@require_GET
def calendar_feed(request, token):
    """The feed, without a session (calendar servers fetch it): the secret address is the
    key. Unknown or replaced addresses, another town's, and those of people no longer in
    the team find nothing. Reads only: a GET writes nothing."""
    feed = CalendarFeed.objects.from_token(token)
    if feed is None or not feed.user.is_active or feed.user.membership_in(request.tenant) is None:
        raise Http404("Agenda inconnu.")
    tasks = Task.objects.with_subject().open().assigned_to(feed.user).order_by("due_on", "pk")
    response = HttpResponse(
        tasks_calendar(request.tenant, tasks), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="taches.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
