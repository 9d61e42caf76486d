"""How long a premises has stood empty, in French: {% load vacancy %} then
« vide depuis {{ premises.vacancy_days|vacant_since }} » or « après {{ n|days }} ».
French counts 0 and 1 in the singular, and « depuis 0 jour » says « depuis aujourd’hui »."""

from django import template

register = template.Library()


@register.filter
def days(count):
    """0 → « moins d’un jour », 1 → « 1 jour », 12 → « 12 jours »."""
    if count is None or count == "":
        return ""
    count = int(count)
    if count < 1:
        return "moins d’un jour"
    return f"{count} jour{'s' if count > 1 else ''}"


@register.filter
def vacant_since(count):
    """What follows « vide depuis »: « aujourd’hui », « 1 jour », « 12 jours »."""
    if count is None or count == "":
        return ""
    return "aujourd’hui" if int(count) < 1 else days(count)
