"""Town provisioning against its floor (replaying the snapshot's DDL) and the migrations path;
a no-op migrate_schemas over 500 towns."""

import io

from django.core.management import call_command
from django.db import connection, transaction

from bench.report import figure, median, timed
from tenants.enums import TerritoryKind
from tenants.models import Territory
from tenants.provisioning import (
    PLACEHOLDER,
    current_snapshot,
    migrate_schema,
    provision_territory,
)

RUNS = 21
TOWNS_FOR_MIGRATE = 500


def replay_ddl(schema, ddl):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema}"')
        cursor.execute(ddl.replace(PLACEHOLDER, f'"{schema}"'))


def drop(schema):
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def provision(index):
    provision_territory(name=f"Banc {index}", slug=f"banc-{index:04d}", kind=TerritoryKind.COMMUNE)


def provisioning():
    snapshot = current_snapshot()
    provision(0)  # warm-up: caches, first connection
    provision_ms, floor_ms, migrate_ms = [], [], []
    for run in range(1, RUNS + 1):
        floor_ms.append(timed(replay_ddl, f"floor_{run}", snapshot.ddl))
        provision_ms.append(timed(provision, run))
    for run in range(5):
        drop(f"migrated_{run}")
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "migrated_{run}"')
        migrate_ms.append(timed(migrate_schema, f"migrated_{run}"))
    for run in range(1, RUNS + 1):
        drop(f"floor_{run}")
    for run in range(5):
        drop(f"migrated_{run}")

    figure("provision_town_median", median(provision_ms), "ms")
    figure("ddl_replay_floor_median", median(floor_ms), "ms")
    figure("migrations_path_median", median(migrate_ms), "ms")
    figure("provision_vs_floor", median(provision_ms) / median(floor_ms), "x")
    figure("migrations_vs_provision", median(migrate_ms) / median(provision_ms), "x")


def migrate_noop():
    existing = Territory.objects.towns().count()
    missing = range(1000 + existing, 1000 + TOWNS_FOR_MIGRATE)
    creation_ms = [timed(provision, index) for index in missing]
    if creation_ms:
        figure("provision_town_median_up_to_500_towns", median(creation_ms), "ms")
        figure("provision_town_last_20_of_500", median(creation_ms[-20:]), "ms")
    towns = Territory.objects.towns().count()
    figure("towns", towns, "towns")
    call_command("migrate_schemas", verbosity=0)  # anything left is migrated now
    out = io.StringIO()
    elapsed = timed(call_command, "migrate_schemas", verbosity=1, stdout=out)
    assert f"{towns} collectivité(s) à jour, 0 à migrer" in out.getvalue(), out.getvalue()
    figure(f"migrate_schemas_noop_{towns}_towns", elapsed / 1000, "s")
