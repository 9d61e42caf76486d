"""A schema's structure read from PostgreSQL's catalogs, to compare two towns' schemas."""

from django.db import connection


def describe_schema(schema_name):
    """Tables, columns, constraints, indexes, sequences and recorded migrations of a schema.

    References to the schema itself are written `<schema>` so that two schemas built the
    same way describe identically.
    """

    def rows(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def neutral(text):
        if text is None:
            return None
        return text.replace(f'"{schema_name}".', "<schema>.").replace(
            f"{schema_name}.", "<schema>."
        )

    # With only public on the search path, catalog functions qualify every name of the
    # described schema, whichever schema it is.
    connection.set_schema_to_public()
    relations = rows(
        "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s ORDER BY 1",
        [schema_name],
    )
    columns = rows(
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
        "a.attidentity, pg_get_expr(d.adbin, d.adrelid) "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE n.nspname = %s AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','p') "
        "ORDER BY c.relname, a.attnum",
        [schema_name],
    )
    constraints = rows(
        "SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid) "
        "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
        "JOIN pg_namespace n ON n.oid = con.connamespace WHERE n.nspname = %s ORDER BY 1, 2",
        [schema_name],
    )
    indexes = rows(
        "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s ORDER BY 1, 2",
        [schema_name],
    )
    sequences = rows(
        "SELECT s.relname, q.seqtypid::regtype::text, q.seqstart, q.seqincrement, q.seqmax, "
        "q.seqmin, q.seqcycle FROM pg_sequence q JOIN pg_class s ON s.oid = q.seqrelid "
        "JOIN pg_namespace n ON n.oid = s.relnamespace WHERE n.nspname = %s ORDER BY 1",
        [schema_name],
    )
    migrations = rows(f'SELECT app, name FROM "{schema_name}".django_migrations ORDER BY app, name')
    return {
        "relations": relations,
        "columns": [
            (t, c, ty, nn, ident, neutral(default)) for t, c, ty, nn, ident, default in columns
        ],
        "constraints": [(t, name, kind, neutral(d)) for t, name, kind, d in constraints],
        "indexes": [(t, name, neutral(d)) for t, name, d in indexes],
        "sequences": sequences,
        "migrations": migrations,
    }
