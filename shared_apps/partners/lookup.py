"""The public "Recherche d'entreprises" API: a SIRET pre-fills a partner's organisation.

The registration works without it: when the API is slow or unreachable, the person
types the organisation's details by hand."""

from shared_apps.referential.entreprises import Unavailable, find_establishment

LookupUnavailable = Unavailable


def lookup_siret(siret):
    """The establishment with this SIRET as {name, siret, siren, address, postcode, city},
    or None if the API knows no such establishment."""
    found = find_establishment(siret)
    if found is None:
        return None
    return {
        "name": found.name,
        "siret": found.siret,
        "siren": found.siren,
        "address": found.address,
        "postcode": found.postcode,
        "city": found.city,
    }
