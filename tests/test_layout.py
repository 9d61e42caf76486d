"""The folder decides the schema: shared_apps/ in the public schema, tenant_apps/ per town."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def app_packages(folder):
    return {f"{folder}.{path.parent.name}" for path in (ROOT / folder).glob("*/apps.py")}


def test_shared_apps_are_only_shared():
    shared = app_packages("shared_apps")
    assert shared, "shared_apps/ holds no app"
    assert shared <= set(settings.SHARED_APPS)
    assert not shared & set(settings.TENANT_APPS)


def test_tenant_apps_are_only_per_town():
    tenant = app_packages("tenant_apps")
    assert tenant, "tenant_apps/ holds no app"
    assert tenant <= set(settings.TENANT_APPS)
    assert not tenant & set(settings.SHARED_APPS)


def test_no_app_outside_the_known_folders_is_per_town():
    assert set(settings.TENANT_APPS) == app_packages("tenant_apps")


def tables_in(schema):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


def test_tables_live_in_the_schema_their_folder_says(town_a):
    public, town = tables_in("public"), tables_in(town_a.schema_name)
    for config in apps.get_app_configs():
        for model in config.get_models(include_auto_created=True):
            table = model._meta.db_table
            if config.name.startswith("tenant_apps."):
                assert table in town and table not in public, table
            elif config.name.startswith(("shared_apps.", "tenants")):
                assert table in public and table not in town, table


def test_tenant_tables_may_point_at_public_ones_but_never_the_reverse():
    tenant_labels = {
        apps.get_app_config(name.rsplit(".", 1)[-1]).label for name in settings.TENANT_APPS
    }
    for config in apps.get_app_configs():
        if config.label in tenant_labels:
            continue
        for model in config.get_models(include_auto_created=True):
            for field in model._meta.get_fields():
                target = getattr(field, "related_model", None)
                if target is not None and field.concrete:
                    assert target._meta.app_label not in tenant_labels, (
                        f"{model.__name__}.{field.name} points into a town schema"
                    )


def test_town_migrations_hold_no_data_changes():
    """Town schemas are created from a DDL snapshot, which carries no rows: a data
    migration in a town app would be silently skipped for new towns."""
    for path in (ROOT / "tenant_apps").glob("*/migrations/0*.py"):
        text = path.read_text()
        assert "RunPython" not in text and "RunSQL" not in text, path
