"""Validators of official French identifiers and phone numbers, with French messages."""

import phonenumbers
from django.core.exceptions import ValidationError

LA_POSTE_SIREN = "356000000"


def luhn_valid(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def validate_siret(value):
    siret = value.replace(" ", "")
    if not (siret.isdigit() and len(siret) == 14):
        raise ValidationError("Le SIRET compte 14 chiffres.", code="siret_format")
    # La Poste's establishments share one SIREN and follow their own rule.
    valid = (
        sum(int(c) for c in siret) % 5 == 0
        if siret.startswith(LA_POSTE_SIREN)
        else luhn_valid(siret)
    )
    if not valid:
        raise ValidationError(
            "Ce SIRET n’existe pas : vérifiez les 14 chiffres (vous pouvez aussi laisser le "
            "champ vide).",
            code="siret_checksum",
        )


def validate_siren(value):
    if not (value.isdigit() and len(value) == 9 and luhn_valid(value)):
        raise ValidationError("Ce SIREN n’est pas valide (9 chiffres).", code="siren")


def normalise_french_phone(value):
    """'06 12 34 56 78' → '+33612345678'; raises ValidationError with a French message."""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "Ce numéro de téléphone n’est pas valide. Exemple : 06 12 34 56 78.", code="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164):
    """'+33612345678' → '06 12 34 56 78' (national format for French numbers)."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "FR")
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
