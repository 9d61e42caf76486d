"""Trigram similarity (pg_trgm) in the public schema, so that every town's schema finds its
likely duplicate demands with it (similar names and activities)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("referential", "0002_initial")]
    operations = [
        # Never dropped on the way back: other databases' objects may use it.
        migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;", ""),
    ]
