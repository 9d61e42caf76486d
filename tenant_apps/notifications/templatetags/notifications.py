"""The bell of the back-office's header: {% load notifications %}{% notification_bell %}
(in notifications/bell.html, which the back-office layout puts among the header's tools)."""

from django import template

from tenant_apps.notifications.models import COUNT_CAP, Notification

register = template.Library()


@register.inclusion_tag("notifications/bell_link.html", takes_context=True)
def notification_bell(context):
    """The person's unread count in this town: one query on the unread index (a page that
    counted already, the inbox, passes it as `unread_count`)."""
    request = context["request"]
    if not request.user.is_authenticated:
        return {"shown": False}
    count = context.get("unread_count")
    if count is None:
        count = Notification.objects.for_user(request.user).capped_unread_count()
    return {
        "shown": True,
        "count": min(count, COUNT_CAP),
        "capped": count > COUNT_CAP,
        "current": request.resolver_match and request.resolver_match.namespace == "notifications",
    }
