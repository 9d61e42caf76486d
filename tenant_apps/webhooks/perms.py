"""Fetching a town's webhooks for its admins (the views are for admins only)."""

from django.shortcuts import get_object_or_404

from tenant_apps.webhooks.models import Delivery, Webhook


def webhook_for(request, pk):
    return get_object_or_404(Webhook, pk=pk)


def delivery_for(request, webhook, pk):
    return get_object_or_404(Delivery.objects.filter(webhook=webhook), pk=pk)
