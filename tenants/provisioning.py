"""Create a town's schema from a DDL snapshot of the migrated template, not by replaying migrations.

The snapshot is keyed by the migration state (every migration's name and source), so a
new or edited migration changes the key and the next provisioning rebuilds the snapshot
first: a stale template cannot be used.
"""

import hashlib
import importlib.util
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_tenants.utils import get_tenant_base_migrate_command_class, schema_context

from tenants.enums import TerritoryKind, TerritoryStatus, TerritoryVerification
from tenants.models import Domain, SchemaSnapshot, Territory

logger = logging.getLogger(__name__)

PLACEHOLDER = "__boursoloco_schema__"
# Serialises snapshot builds across processes (any constant 64-bit number).
SNAPSHOT_LOCK_ID = 7_412_019_001


def schema_name_for(slug):
    return "town_" + slug.replace("-", "_")


def migration_files():
    """(app, path, mtime, size) of every migration file: cheap to read on every call, and
    different as soon as a migration is added, edited or moved (MIGRATION_MODULES)."""
    entries = []
    for config in apps.get_app_configs():
        module_name, _ = MigrationLoader.migrations_module(config.label)
        try:
            spec = module_name and importlib.util.find_spec(module_name)
        except ModuleNotFoundError:
            spec = None
        for directory in (spec and spec.submodule_search_locations) or ():
            for entry in os.scandir(directory):
                if entry.name.endswith(".py"):
                    stat = entry.stat()
                    entries.append((config.label, entry.path, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(entries))


_states = {}
_snapshots = {}


def migration_state():
    """(key, nodes): a digest of every migration's name and source, and the sorted names.

    Memoised on the migration files' names, dates and sizes, so that provisioning does
    not rebuild the migration graph while the code stays the same."""
    files = migration_files()
    if files not in _states:
        _states.clear()
        _states[files] = compute_migration_state()
    return _states[files]


def compute_migration_state():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    nodes = sorted(loader.disk_migrations)
    digest = hashlib.sha256()
    for app_label, name in nodes:
        module = sys.modules[loader.disk_migrations[(app_label, name)].__module__]
        digest.update(f"{app_label}.{name}\n".encode())
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest(), nodes


def current_snapshot():
    """The snapshot matching the code's migrations, built now if there is none."""
    key, _ = migration_state()
    if key not in _snapshots:
        snapshot = SchemaSnapshot.objects.filter(key=key).first() or build_snapshot(key)
        _snapshots.clear()
        _snapshots[key] = snapshot
    return _snapshots[key]


def build_snapshot(key):
    """Migrate the template schema from scratch, dump its DDL, store it under `key`.

    Runs in autocommit (pg_dump reads from its own connection, so the template must be
    committed) and under an advisory lock so that concurrent provisionings build it once.
    """
    if connection.in_atomic_block:
        raise RuntimeError("Le gabarit de schéma se construit hors transaction.")
    template = settings.TENANT_TEMPLATE_SCHEMA
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [SNAPSHOT_LOCK_ID])
    try:
        existing = SchemaSnapshot.objects.filter(key=key).first()
        if existing:
            return existing
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{template}" CASCADE')
            cursor.execute(f'CREATE SCHEMA "{template}"')
        migrate_schema(template)
        ddl = dump_schema_ddl(template)
        with schema_context(template), connection.cursor() as cursor:
            cursor.execute(f'SELECT app, name FROM "{template}".django_migrations ORDER BY id')
            applied = [list(row) for row in cursor.fetchall()]
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{template}" CASCADE')
        snapshot = SchemaSnapshot.objects.create(key=key, ddl=ddl, migrations=applied)
        logger.info(
            "Gabarit de schéma %s construit en %.1f s", key[:12], time.monotonic() - started
        )
        return snapshot
    finally:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [SNAPSHOT_LOCK_ID])


def migrate_schema(schema_name):
    """Replay every migration on one schema: the slow path the snapshot avoids."""
    connection.set_schema(schema_name, include_public=False)
    MigrationRecorder(connection).ensure_schema()
    connection.set_schema(schema_name)
    try:
        call_command(get_tenant_base_migrate_command_class()(), verbosity=0, interactive=False)
    finally:
        connection.set_schema_to_public()


def dump_schema_ddl(schema):
    """pg_dump's DDL of `schema`, every reference to it replaced by a placeholder."""
    db = connection.settings_dict
    command = [
        "pg_dump",
        "--schema-only",
        "--no-owner",
        "--no-privileges",
        "--no-comments",
        f"--schema={schema}",
        "--dbname",
        db["NAME"],
    ]
    if db.get("HOST"):
        command += ["--host", db["HOST"]]
    if db.get("PORT"):
        command += ["--port", str(db["PORT"])]
    if db.get("USER"):
        command += ["--username", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    # With a multi-host DATABASE_URL, read from the primary (the template was just
    # written there; a standby may not have replayed it yet).
    for option, variable in (
        ("target_session_attrs", "PGTARGETSESSIONATTRS"),
        ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ):
        if option in db.get("OPTIONS", {}):
            env[variable] = str(db["OPTIONS"][option])
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return normalise_dump(output, schema)


def normalise_dump(dump, schema):
    statements = []
    for line in dump.splitlines():
        if not line.strip() or line.startswith("--"):
            continue
        if line.startswith(("SET ", "SELECT pg_catalog.set_config", "\\")):
            continue
        if line.startswith(("CREATE SCHEMA ", "ALTER SCHEMA ")):
            continue
        statements.append(line)
    ddl = "\n".join(statements)
    return re.sub(
        rf'(?<![\w"]){re.escape(schema)}\.|"{re.escape(schema)}"\.', PLACEHOLDER + ".", ddl
    )


def create_schema_from_snapshot(schema_name, snapshot):
    """CREATE SCHEMA and replay the snapshot's DDL; record its migrations as applied."""
    quoted = f'"{schema_name}"'
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {quoted}")
        cursor.execute(snapshot.ddl.replace(PLACEHOLDER, quoted))
        cursor.execute(
            f"INSERT INTO {quoted}.django_migrations (app, name, applied) "
            "SELECT app, name, now() FROM unnest(%s::text[], %s::text[]) AS m(app, name)",
            [[app for app, _ in snapshot.migrations], [name for _, name in snapshot.migrations]],
        )


def ensure_public_territory():
    """The public schema's row and the national domain, created once."""
    public, _ = Territory.objects.get_or_create(
        schema_name=settings.PUBLIC_SCHEMA_NAME,
        defaults={
            "name": "BoursOloco",
            "slug": "national",
            "kind": TerritoryKind.NATIONAL,
            "status": TerritoryStatus.OPEN,
        },
    )
    Domain.objects.get_or_create(
        domain=settings.BASE_DOMAIN, defaults={"tenant": public, "is_primary": True}
    )
    return public


def provision_territory(*, name, slug, kind, verification=TerritoryVerification.OPERATOR, **fields):
    """Create a town, its domain and its schema in one transaction; returns the town.

    A town made by the platform's operators (command line, demo, tests) is verified; the
    onboarding passes `verification=None`: a stranger's claim opens a private space.

    Raises ValidationError, in French, for a slug the model refuses (malformed, reserved,
    taken): checked before the snapshot is built, so a refusal creates nothing."""
    connection.set_schema_to_public()
    territory = Territory(
        schema_name=schema_name_for(slug),
        name=name,
        slug=slug,
        kind=kind,
        verification=verification or "",
        verified_at=timezone.now() if verification else None,
        **fields,
    )
    territory.full_clean(exclude=["logo"])
    snapshot = current_snapshot()
    with transaction.atomic():
        territory.save()
        Domain.objects.create(domain=territory.host, tenant=territory, is_primary=True)
        create_schema_from_snapshot(territory.schema_name, snapshot)
    logger.info("Collectivité %s créée (%s)", territory.name, territory.schema_name)
    return territory
