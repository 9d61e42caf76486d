"""Load the shipped communes and EPCI (bin/refresh_referentials) into the database."""

import gzip
import json
from pathlib import Path

from django.db import transaction

from shared_apps.referential.models import Commune, Epci

DATA = Path(__file__).resolve().parent / "data" / "territoires.json.gz"


@transaction.atomic
def load_territories(path=DATA):
    """Insert or update every commune and EPCI; returns (communes, epci) counts."""
    with gzip.open(path, "rt", encoding="utf-8") as file:
        data = json.load(file)
    epcis = [
        Epci(siren=code, name=name, kind=kind, population=population)
        for code, name, kind, population, _ in data["epci"]
    ]
    Epci.objects.bulk_create(
        epcis,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["siren"],
        update_fields=["name", "kind", "population"],
    )
    epci_of = {member: code for code, _, _, _, members in data["epci"] for member in members}
    communes = [
        Commune(
            insee_code=code,
            name=name,
            siren=siren,
            department=department,
            population=population,
            postcodes=postcodes,
            epci_id=epci_of.get(code),
        )
        for code, name, siren, department, population, postcodes in data["communes"]
    ]
    Commune.objects.bulk_create(
        communes,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["insee_code"],
        update_fields=["name", "siren", "department", "population", "postcodes", "epci"],
    )
    return len(communes), len(epcis)
