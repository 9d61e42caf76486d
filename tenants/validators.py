"""The rules of a town's subdomain (Territory.slug), written once for every path that sets it:
the model's field (model forms, full_clean, provisioning) and the forms that lowercase input."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

# Names the platform serves or may serve itself (the national site's among them): a town
# holding one could pass for the platform.
RESERVED_SUBDOMAINS = frozenset(
    {
        "www",
        "api",
        "admin",
        "administration",
        "console",
        "static",
        "media",
        "mail",
        "smtp",
        "imap",
        "ftp",
        "national",
        "public",
        "inscription",
        "partenaires",
        "gestion",
        "compte",
        "test",
        "demo",
        "app",
        "aide",
        "support",
        "status",
        "docs",
        "doc",
        "blog",
        "assets",
        "cdn",
        "anct",
        "boursoloco",
        "healthz",
        "tpl-boursoloco",
        "template",
    }
)
# Would read like the towns' schema names (town_<slug>), or is an internationalised
# label (xn--…) that a browser may show as a lookalike of another town's name.
RESERVED_PATTERN = re.compile(r"town[-_].*|..--.*")

slug_validator = RegexValidator(
    r"^[a-z][a-z0-9-]{1,40}[a-z0-9]$",
    "L’adresse ne peut contenir que des lettres minuscules sans accent, des chiffres et des "
    "tirets (3 à 42 caractères).",
)


def validate_not_reserved(slug):
    if slug in RESERVED_SUBDOMAINS or RESERVED_PATTERN.fullmatch(slug):
        raise ValidationError(
            "Cette adresse est réservée : choisissez-en une autre.", code="reserved"
        )


SLUG_VALIDATORS = [slug_validator, validate_not_reserved]


def clean_subdomain(value):
    """What a person typed as an address, lowercased and checked against every rule."""
    slug = value.strip().lower()
    for validator in SLUG_VALIDATORS:
        validator(slug)
    return slug
