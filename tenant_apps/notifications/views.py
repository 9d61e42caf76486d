"""The person's notifications, unread first; opening one (a POST: a GET changes nothing)
marks it read and leads to what it is about; their choice of what also goes by email."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tenant_apps.notifications.forms import PreferenceForm
from tenant_apps.notifications.models import Notification, Preference
from tenant_apps.notifications.perms import notification_for, own_inbox_required
from tenant_apps.notifications.services import BACKOFFICE

PER_PAGE = 25


@own_inbox_required
def inbox(request):
    mine = Notification.objects.for_user(request.user)
    unread = mine.capped_unread_count()
    page = Paginator(mine.unread_first(), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page_obj": page,
            # The bell reads it from here rather than counting a second time.
            "unread_count": unread,
            "title": "Notifications",
        },
    )


def back_to_inbox(request):
    """To the inbox, on the page the person was reading."""
    url = reverse("notifications:inbox")
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@require_POST
@own_inbox_required
def open_notification(request, pk):
    notification = notification_for(request, pk)
    notification.mark_read()
    url = notification.url
    if url.startswith(BACKOFFICE) and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return redirect(url)
    return back_to_inbox(request)


@require_POST
@own_inbox_required
def read(request, pk):
    notification_for(request, pk).mark_read()
    messages.success(request, "Notification marquée comme lue.")
    return back_to_inbox(request)


@require_POST
@own_inbox_required
def read_all(request):
    count = Notification.objects.for_user(request.user).mark_read()
    if count:
        messages.success(
            request,
            f"{count} notification{'s' if count > 1 else ''} marquée{'s' if count > 1 else ''} "
            "comme lue" + ("s." if count > 1 else "."),
        )
    else:
        messages.info(request, "Vous n’aviez aucune notification non lue.")
    return redirect("notifications:inbox")


@own_inbox_required
def preferences(request):
    current = Preference.objects.emailed_kinds([request.user])[request.user.pk]
    # Bound on every POST: all boxes unticked is a choice too (no email at all).
    data = request.POST if request.method == "POST" else None
    form = PreferenceForm(data, initial={"email_kinds": sorted(current)})
    if request.method == "POST" and form.is_valid():
        Preference.objects.update_or_create(
            user=request.user, defaults={"email_kinds": form.cleaned_data["email_kinds"]}
        )
        messages.success(request, "Vos réglages de notifications sont enregistrés.")
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "title": "Réglages des notifications"},
        status=400 if form.errors else 200,
    )
