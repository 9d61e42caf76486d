"""Where a town keeps files never served from /media (exports, received attachments,
business plans): PRIVATE_ROOT/<schema>/<kind>/, read back only through views that check
who asks."""

from pathlib import Path

from django.conf import settings
from django.db import connection


def private_dir(kind):
    """The current town's private folder for `kind` (its schema's, so never another's)."""
    return Path(settings.PRIVATE_ROOT) / connection.schema_name / kind
