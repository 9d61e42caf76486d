"""{% proconnect_button %}: ProConnect's sign-in button, when ProConnect is on."""

from django import template

from shared_apps.proconnect.provider import is_enabled

register = template.Library()


@register.inclusion_tag("components/proconnect_button.html", takes_context=True)
def proconnect_button(context, separator="after"):
    """`separator`: where the « ou » between ProConnect and the page's own form goes."""
    return {
        "enabled": is_enabled(),
        "separator": separator,
        "next": context.get("redirect_field_value") or "",
        "csrf_token": context.get("csrf_token"),
    }
