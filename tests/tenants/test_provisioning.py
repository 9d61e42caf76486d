"""Provisioning from the snapshot gives the schema migrations give, never a stale one."""

import shutil
import sys
import textwrap

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings

from tenants.catalog import describe_schema
from tenants.enums import TerritoryKind
from tenants.models import Domain, SchemaSnapshot, Territory
from tenants.provisioning import (
    current_snapshot,
    migrate_schema,
    migration_state,
    provision_territory,
    schema_name_for,
)


def drop_schema(name):
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture
def scratch_schema(committed_db):
    """A schema built the slow way: every migration replayed."""
    name = "scratch_migrated"
    drop_schema(name)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{name}"')
    yield name
    drop_schema(name)


@pytest.fixture
def cleanup_towns(committed_db):
    created = []
    yield created
    # towns(): a test that names the public site's slug must never drop its schema.
    for territory in Territory.objects.towns().filter(slug__in=created):
        territory.delete(force_drop=True)


def test_a_provisioned_town_has_exactly_the_schema_migrations_produce(
    scratch_schema, cleanup_towns
):
    cleanup_towns.append("comparaison")
    town = provision_territory(name="Comparaison", slug="comparaison", kind=TerritoryKind.COMMUNE)
    migrate_schema(scratch_schema)

    provisioned, migrated = describe_schema(town.schema_name), describe_schema(scratch_schema)

    assert provisioned["columns"], "the catalog read nothing"
    assert provisioned["migrations"] == migrated["migrations"]
    for part in ("relations", "columns", "constraints", "indexes", "sequences"):
        assert provisioned[part] == migrated[part], part


def test_provisioning_creates_the_row_the_domain_and_a_usable_schema(cleanup_towns, in_town):
    cleanup_towns.append("utilisable")
    town = provision_territory(name="Utilisable", slug="utilisable", kind=TerritoryKind.EPCI)

    assert town.schema_name == "town_utilisable"
    assert town.domains.get().domain == "utilisable.localhost"
    with in_town(town):
        from tenant_apps.premises.models import Area

        Area.objects.create(name="Centre")
        assert Area.objects.count() == 1


def test_a_bad_slug_creates_nothing(committed_db):
    with pytest.raises(Exception, match="minuscules"):
        provision_territory(name="Mauvais", slug="Mauvais Nom", kind=TerritoryKind.COMMUNE)
    assert not Territory.objects.filter(name="Mauvais").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'town_mauvais%%'")
        assert cursor.fetchone()[0] == 0


@pytest.mark.parametrize("slug", ["www", "static", "town-x"])
def test_a_reserved_slug_creates_nothing(cleanup_towns, slug):
    cleanup_towns.append(slug)  # only if the refusal failed
    with pytest.raises(ValidationError) as refused:
        provision_territory(name="Réservée", slug=slug, kind=TerritoryKind.COMMUNE)

    assert refused.value.message_dict == {
        "slug": ["Cette adresse est réservée : choisissez-en une autre."]
    }
    assert not Territory.objects.filter(slug=slug).exists()
    assert not Domain.objects.filter(domain__startswith=f"{slug}.").exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_namespace WHERE nspname = %s", [schema_name_for(slug)]
        )
        assert cursor.fetchone()[0] == 0


EXTRA_MIGRATION = textwrap.dedent(
    """
    from django.db import migrations, models


    class Migration(migrations.Migration):
        dependencies = [("premises", "LATEST")]
        operations = [
            migrations.AddField("area", "test_note", models.CharField(max_length=30, default="")),
            migrations.AddIndex(
                "area", models.Index(fields=["test_note"], name="premises_area_test_note_idx")
            ),
        ]
    """
)


@pytest.fixture
def new_migration(tmp_path, committed_db):
    """The premises app with one more migration, as after a developer adds one."""
    package = tmp_path / "premises_migrations_next"
    shutil.copytree("tenant_apps/premises/migrations", package)
    # After the app's latest migration, whichever it is today.
    latest = max(path.stem for path in package.glob("0*.py"))
    (package / "0099_test_extra.py").write_text(EXTRA_MIGRATION.replace("LATEST", latest))
    sys.path.insert(0, str(tmp_path))
    old_key, _ = migration_state()
    with override_settings(MIGRATION_MODULES={"premises": "premises_migrations_next"}):
        yield old_key
    sys.path.remove(str(tmp_path))
    for module in [m for m in sys.modules if m.startswith("premises_migrations_next")]:
        del sys.modules[module]
    SchemaSnapshot.objects.exclude(key=old_key).delete()


def test_after_a_new_migration_the_next_town_gets_it(new_migration, scratch_schema, cleanup_towns):
    old_key = new_migration
    assert SchemaSnapshot.objects.filter(key=old_key).exists()
    new_key, nodes = migration_state()
    assert new_key != old_key
    assert ("premises", "0099_test_extra") in nodes

    cleanup_towns.append("apres-migration")
    town = provision_territory(name="Après", slug="apres-migration", kind=TerritoryKind.COMMUNE)
    migrate_schema(scratch_schema)

    provisioned, migrated = describe_schema(town.schema_name), describe_schema(scratch_schema)
    assert ("premises_area", "test_note") in {(t, c) for t, c, *_ in provisioned["columns"]}
    for part in ("relations", "columns", "constraints", "indexes", "sequences", "migrations"):
        assert provisioned[part] == migrated[part], part
    assert current_snapshot().key == new_key


def test_an_edited_migration_changes_the_key(tmp_path, committed_db):
    package = tmp_path / "premises_migrations_edited"
    shutil.copytree("tenant_apps/premises/migrations", package)
    initial = package / "0001_initial.py"
    initial.write_text(initial.read_text().replace("max_length=120", "max_length=121"))
    sys.path.insert(0, str(tmp_path))
    try:
        old_key, _ = migration_state()
        with override_settings(MIGRATION_MODULES={"premises": "premises_migrations_edited"}):
            edited_key, _ = migration_state()
    finally:
        sys.path.remove(str(tmp_path))
    assert edited_key != old_key
