"""Accent-insensitive French full-text search: the unaccent extension and a text search
configuration, both in the public schema so that every town's search uses them."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION public.fr_unaccent (COPY = pg_catalog.french);
    ALTER TEXT SEARCH CONFIGURATION public.fr_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, french_stem;
  END IF;
END $$;
"""


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.RunSQL(CREATE, "DROP TEXT SEARCH CONFIGURATION IF EXISTS public.fr_unaccent;")
    ]
