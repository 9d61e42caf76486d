"""Finding a commune or an EPCI by name or postcode, accent-insensitively."""

from django.db.models import Q

from shared_apps.referential.models import Commune, Epci
from tenants.enums import TerritoryStatus
from tenants.models import Territory

LIMIT = 15


def find_territories(text):
    """[(kind, code, label, siren, taken)] for the communes and EPCI matching `text`."""
    text = " ".join(text.split())[:100]
    if len(text) < 2:
        return []
    if text.isdigit():
        communes = Commune.objects.filter(
            Q(postcodes__contains=[text]) | Q(insee_code=text)
        ).order_by("-population")[:LIMIT]
        epcis = Epci.objects.filter(siren=text)
    else:
        communes = Commune.objects.filter(name__unaccent__istartswith=text).order_by("-population")[
            :LIMIT
        ]
        epcis = Epci.objects.filter(name__unaccent__icontains=text).order_by("-population")[:5]
    communes, epcis = list(communes), list(epcis)
    # Which of these are already on the platform (not every town's SIREN, on each keystroke).
    sirens = [epci.siren for epci in epcis] + [c.siren for c in communes if c.siren]
    # An unverified space is not taken: another claimant may still ask for it.
    taken = set(
        Territory.objects.filter(siren__in=sirens)
        .filter(Q(verified_at__isnull=False) | Q(status=TerritoryStatus.CLOSED))
        .values_list("siren", flat=True)
    )
    results = [
        (
            "epci",
            epci.siren,
            f"{epci.name} — {epci.get_kind_display() or 'EPCI'}",
            epci.siren,
            epci.siren in taken,
        )
        for epci in epcis
    ]
    results += [
        (
            "commune",
            commune.insee_code,
            f"{commune.name} ({commune.department}) — {commune.population:,} habitants".replace(
                ",", " "
            ),
            commune.siren,
            commune.siren in taken,
        )
        for commune in communes
    ]
    return results
