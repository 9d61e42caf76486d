"""A town's webhooks, for its admins: register an endpoint (its secret shown once), read
its deliveries and their answers, replay one, switch it off or on, delete it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shared_apps.accounts.perms import town_admin_required
from tenant_apps.webhooks.enums import DeliveryStatus
from tenant_apps.webhooks.forms import WebhookForm
from tenant_apps.webhooks.models import Webhook
from tenant_apps.webhooks.perms import delivery_for, webhook_for
from tenant_apps.webhooks.services import wake

NEW_SECRET_KEY = "webhooks_new_secret"


def page(request, template, context, *, status=200):
    return render(
        request,
        f"webhooks/{template}",
        {"nav": "settings", "tab": "webhooks", **context},
        status=status,
    )


@town_admin_required
def webhooks(request):
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        webhook = form.save()
        # Shown once, on the next page: never again after that.
        request.session[NEW_SECRET_KEY] = [webhook.pk, webhook.secret]
        messages.success(request, f"Webhook vers {webhook.url} ajouté.")
        return redirect("webhooks:detail", pk=webhook.pk)
    endpoints = Webhook.objects.annotate(
        delivered=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DELIVERED)),
        waiting=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        given_up=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        last_delivered=Max("deliveries__delivered_at"),
    )
    return page(
        request,
        "list.html",
        {"form": form, "webhooks": endpoints, "title": "Webhooks"},
        status=400 if form.errors else 200,
    )


@town_admin_required
def detail(request, pk):
    webhook = webhook_for(request, pk)
    secret = None
    new = request.session.get(NEW_SECRET_KEY)
    if new and new[0] == webhook.pk:
        secret = new[1]
        del request.session[NEW_SECRET_KEY]  # shown once
    deliveries = Paginator(
        webhook.deliveries.prefetch_related("attempts").order_by("-created_at", "-pk"), 50
    ).get_page(request.GET.get("page"))
    for item in deliveries:
        attempts = list(item.attempts.all())
        item.last_attempt = attempts[0] if attempts else None
    return page(
        request,
        "detail.html",
        {
            "webhook": webhook,
            "secret": secret,
            "deliveries": deliveries,
            "title": f"Webhook vers {webhook.url}",
        },
    )


@require_POST
@town_admin_required
def switch(request, pk):
    """Switch the endpoint off, or back on (what waited for it goes at once)."""
    webhook = webhook_for(request, pk)
    if webhook.is_active:
        webhook.disable(f"Désactivé par {request.user.get_full_name() or request.user.email}.")
        messages.success(
            request,
            "Webhook désactivé : les envois en attente sont gardés, les nouveaux événements "
            "ne lui sont plus envoyés.",
        )
    else:
        webhook.enable()
        schema_name = request.tenant.schema_name
        transaction.on_commit(lambda: wake(schema_name), robust=True)
        messages.success(request, "Webhook réactivé : les envois en attente partent.")
    return redirect("webhooks:detail", pk=webhook.pk)


@town_admin_required
def delete(request, pk):
    """GET asks for confirmation; a POST with confirmation=oui deletes the endpoint and
    its deliveries' log."""
    webhook = webhook_for(request, pk)
    if request.method == "POST" and request.POST.get("confirmation") == "oui":
        webhook.delete()
        messages.success(request, f"Webhook vers {webhook.url} supprimé.")
        return redirect("webhooks:list")
    return page(
        request,
        "delete.html",
        {
            "webhook": webhook,
            "action": reverse("webhooks:delete", args=[pk]),
            "cancel_url": reverse("webhooks:detail", args=[pk]),
            "title": f"Supprimer le webhook vers {webhook.url}",
        },
    )


@town_admin_required
def delivery(request, pk, delivery_pk):
    webhook = webhook_for(request, pk)
    item = delivery_for(request, webhook, delivery_pk)
    return page(
        request,
        "delivery.html",
        {
            "webhook": webhook,
            "delivery": item,
            "attempts": item.attempts.all(),
            "title": f"Envoi {item.message_id}",
        },
    )


@require_POST
@town_admin_required
def replay(request, pk, delivery_pk):
    webhook = webhook_for(request, pk)
    item = delivery_for(request, webhook, delivery_pk)
    if not webhook.is_active:
        messages.error(request, "Ce webhook est désactivé : réactivez-le avant de renvoyer.")
    elif item.status == DeliveryStatus.PENDING and item.attempt_count == 0:
        messages.info(request, "Cet envoi part déjà : rien à renvoyer.")
    else:
        item.replay()
        schema_name = request.tenant.schema_name
        transaction.on_commit(lambda: wake(schema_name), robust=True)
        messages.success(
            request, f"Envoi {item.message_id} renvoyé, avec le même identifiant webhook-id."
        )
    return redirect("webhooks:delivery", pk=webhook.pk, delivery_pk=item.pk)
