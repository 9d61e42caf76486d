"""The demand page's « Partenaires alertés »: {% load network %}{% alerted_partners alerts %}
with the demand's alerts (backoffice/demand_detail.html)."""

from django import template

from tenant_apps.network.enums import Frequency

register = template.Library()


@register.inclusion_tag("network/alerted_partners.html", takes_context=True)
def alerted_partners(context, alerts):
    """Partners actually alerted, apart from those whose daily or weekly digest has not
    gone yet: those are told in their next digest, not already."""
    alerts = list(alerts)
    pending = [alert for alert in alerts if alert.sent_at is None]
    return {
        "demand": context["demand"],
        "sent": [alert for alert in alerts if alert.sent_at is not None],
        "daily": [alert for alert in pending if alert.frequency == Frequency.DAILY],
        "weekly": [alert for alert in pending if alert.frequency != Frequency.DAILY],
    }
