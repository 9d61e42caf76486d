"""What the town's admins are told about their webhooks (through the outbox)."""

from django.urls import reverse

from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import Membership
from tenant_apps.mailing.services import queue_email
from tenants.models import Territory


def tell_admins_switched_off(webhook):
    """One email to each admin of the town, once per switching off."""
    territory = Territory.objects.current()
    admins = (
        Membership.objects.active()
        .filter(territory=territory, role=Role.ADMIN, user__is_active=True)
        .select_related("user")
    )
    context = {
        "territory": territory,
        "webhook": webhook,
        "webhook_url": territory.url(reverse("webhooks:detail", args=[webhook.pk])),
    }
    stamp = int(webhook.disabled_at.timestamp())
    for member in admins:
        queue_email(
            f"webhook:{webhook.pk}:switched-off:{stamp}:{member.user_id}",
            member.user.email,
            "webhooks/emails/switched_off.txt",
            context,
        )
