"""`migrate` is `migrate_schemas`: public schema, then the towns that need it."""

from tenants.management.commands.migrate_schemas import Command  # noqa: F401
