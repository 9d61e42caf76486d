"""Placeholders of the town's email templates: {prenom}, {reference}…, checked on save and
filled when an email is previewed or sent."""

import string

from django.core.exceptions import ValidationError

from tenant_apps.correspondence.enums import PLACEHOLDERS


def names_in(text):
    """The placeholder names `text` uses; raises ValidationError (in French) for an
    unknown one, a malformed one, or a lone brace."""
    found = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise ValidationError(
            "Une accolade est seule ou mal fermée : écrivez les champs comme {prenom}, "
            "et doublez une accolade voulue ({{ ou }})."
        ) from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            raise ValidationError(
                f"Le champ {shown} n’existe pas. Champs possibles : "
                + ", ".join("{" + key + "}" for key in PLACEHOLDERS)
                + "."
            )
        found.append(name)
    return found


def fill(text, values):
    """`text` with its placeholders replaced by `values`; the values themselves are never
    read as placeholders (a porteur named « {ville} » stays so)."""
    names_in(text)
    return text.format_map(values)


def validator(text):
    names_in(text)
