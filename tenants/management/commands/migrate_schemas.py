"""migrate_schemas that skips up-to-date towns and migrates the others in parallel.

Whether a town is up to date is read for all towns in one query (a digest of each
schema's django_migrations), so a no-op over thousands of towns stays fast.
"""

import functools
import hashlib

from django.db import connection
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.migration_executors import get_executor
from django_tenants.migration_executors.base import MigrationExecutor
from django_tenants.migration_executors.multiproc import get_pool, run_migrations_percent

from tenants.models import Territory
from tenants.provisioning import current_snapshot, ensure_public_territory


def expected_digest(migrations):
    names = sorted(f"{app}.{name}" for app, name in migrations)
    return hashlib.md5(",".join(names).encode()).hexdigest()


def applied_digests(schema_names):
    """{schema: md5 of its applied migrations} for every schema that exists."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [list(schema_names)]
        )
        existing = [row[0] for row in cursor.fetchall()]
    digests = {}
    # One UNION ALL query per batch keeps a single round trip for hundreds of towns.
    for start in range(0, len(existing), 500):
        batch = existing[start : start + 500]
        sql = " UNION ALL ".join(
            f"SELECT %s, md5(string_agg(app || '.' || name, ',' ORDER BY app || '.' || name "
            f'COLLATE "C")) FROM "{schema}".django_migrations'
            for schema in batch
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, batch)
            digests.update(dict(cursor.fetchall()))
    return digests


def outdated_schemas(schema_names, migrations):
    expected = expected_digest(migrations)
    digests = applied_digests(schema_names)
    return [name for name in schema_names if digests.get(name) != expected]


class ParallelExecutor(MigrationExecutor):
    """django-tenants' multiprocessing executor, with its pool closed when done."""

    codename = "parallel"

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        connection.close()
        run = functools.partial(
            run_migrations_percent, self.args, self.options, self.codename, len(tenants)
        )
        with get_pool() as pool:
            pool.map(run, enumerate(tenants), 1)
            pool.close()
            pool.join()


class Command(MigrateSchemasCommand):
    help = (
        "Migre le schéma public puis les collectivités en retard, en parallèle ; "
        "les collectivités à jour sont ignorées."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--all", action="store_true", help="Migrer aussi les collectivités déjà à jour."
        )

    def handle(self, *args, **options):
        targeted = options.get("schema_name") or options.get("app_label") or options.get("all")
        if targeted or options.get("shared") or options.get("fake") or options.get("plan"):
            return super().handle(*args, **options)
        super().handle(*args, **{**options, "schema_name": None, "shared": True})
        ensure_public_territory()

        snapshot = current_snapshot()
        schemas = list(Territory.objects.towns().values_list("schema_name", flat=True))
        outdated = outdated_schemas(schemas, snapshot.migrations)
        verbosity = int(options.get("verbosity", 1))
        if verbosity:
            self.stdout.write(
                f"{len(schemas) - len(outdated)} collectivité(s) à jour, "
                f"{len(outdated)} à migrer"
                + (f" : {', '.join(outdated[:20])}" if outdated else "")
                + ("…" if len(outdated) > 20 else ".")
            )
        if outdated:
            executor = options.get("executor") or ("parallel" if len(outdated) > 1 else "standard")
            tenant_options = {**options, "schema_name": None, "shared": False, "tenant": True}
            get_executor(codename=executor)(args, tenant_options).run_migrations(tenants=outdated)
