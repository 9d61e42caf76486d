"""migrate_schemas migrates the towns that need it and skips the others."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from tenants.management.commands.migrate_schemas import outdated_schemas
from tenants.provisioning import current_snapshot


@pytest.fixture
def forget_one_migration(committed_db, town_b_committed):
    """Town B loses the record of a leaf migration of a shared app (a no-op in a town
    schema), as if it had been left behind by an interrupted deployment."""
    table = f'"{town_b_committed.schema_name}".django_migrations'
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE app = 'sessions' AND name = '0001_initial'")
    yield town_b_committed
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (app, name, applied) SELECT 'sessions', '0001_initial', now() "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE app = 'sessions')"
        )


@pytest.fixture
def town_b_committed(committed_db):
    from tenants.models import Territory

    return Territory.objects.get(slug="ville-b")


def test_up_to_date_towns_are_not_outdated(committed_db):
    from tenants.models import Territory

    schemas = list(Territory.objects.towns().values_list("schema_name", flat=True))
    assert len(schemas) >= 2
    assert outdated_schemas(schemas, current_snapshot().migrations) == []


def test_only_the_outdated_town_is_migrated(forget_one_migration):
    out = io.StringIO()
    call_command("migrate_schemas", stdout=out, verbosity=1)

    assert "1 à migrer" in out.getvalue()
    assert forget_one_migration.schema_name in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(*) FROM "{forget_one_migration.schema_name}".django_migrations '
            "WHERE app = 'sessions' AND name = '0001_initial'"
        )
        assert cursor.fetchone()[0] == 1


def test_a_second_run_migrates_nothing(committed_db):
    call_command("migrate_schemas", stdout=io.StringIO(), verbosity=0)
    out = io.StringIO()
    call_command("migrate_schemas", stdout=out, verbosity=1)
    assert "0 à migrer" in out.getvalue()


def test_several_outdated_towns_are_migrated_in_parallel(committed_db, capfd):
    from tenants.models import Territory

    towns = list(Territory.objects.filter(slug__in=["ville-a", "ville-b"]))
    for town in towns:
        with connection.cursor() as cursor:
            cursor.execute(
                f'DELETE FROM "{town.schema_name}".django_migrations '
                "WHERE app = 'sessions' AND name = '0001_initial'"
            )
    out = io.StringIO()
    call_command("migrate_schemas", stdout=out, verbosity=1)

    assert "2 à migrer" in out.getvalue()
    assert "parallel:town_ville_a" in capfd.readouterr().out
    schemas = [town.schema_name for town in towns]
    assert outdated_schemas(schemas, current_snapshot().migrations) == []
