"""The porteur's premises alerts: switched on or off from the follow-up page, stopped in
one click from an alert email (RFC 8058). A GET never changes anything: the unsubscribe
link shows a page with a button, mail clients post to it themselves."""

from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from tenant_apps.applicant_alerts.forms import SwitchForm
from tenant_apps.applicant_alerts.models import UNSUBSCRIBE_SALT, Subscription
from tenant_apps.demands.views.followup import private, with_demand
from tenants.signing import town_salt


@require_POST
@with_demand
def switch(request, demand, token):
    form = SwitchForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["alerts"][0])
    elif not demand.is_alive:
        messages.info(request, "Votre demande est close : il n’y a plus d’alertes à régler.")
    else:
        Subscription.switch(demand, form.active)
        if form.active:
            messages.success(
                request,
                "C’est noté : vous recevrez un courriel (un par jour au plus) quand un local "
                "publié correspondra à votre demande.",
            )
        else:
            messages.success(request, "C’est noté : vous ne recevrez plus d’alertes de locaux.")
    return redirect(reverse("demands:followup", args=[token]) + "#alertes-locaux")


def read_token(token):
    """The subscription an unsubscribe link names, or None. The town is part of the
    signature's salt: a link of another town means nothing here. It never expires."""
    try:
        pk = signing.loads(token, salt=town_salt(UNSUBSCRIBE_SALT))
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Subscription.objects.select_related("demand").filter(pk=pk).first()


# Mail clients post one-click unsubscriptions (RFC 8058) without any cookie or token of
# ours: the signed link is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscription = read_token(token)
    if subscription is None:
        response = render(
            request,
            "applicant_alerts/link_invalid.html",
            {"title": "Lien inutilisable"},
            status=400,
        )
        return private(response)
    if request.method == "POST":
        Subscription.switch(subscription.demand, False)
    return private(
        render(
            request,
            "applicant_alerts/unsubscribe.html",
            {
                "demand": subscription.demand,
                "posted": request.method == "POST",
                "title": "Ne plus recevoir les alertes de locaux",
            },
        )
    )
