"""Cache keys: per town, except the login rate limits, which protect accounts that are
shared by every town and so must count attempts across all of them."""

from django.db import connection

GLOBAL_PREFIXES = ("allauth:rl:",)


def make_key(key, key_prefix, version):
    scope = "global" if key.startswith(GLOBAL_PREFIXES) else connection.schema_name
    return f"{scope}:{key_prefix}:{version}:{key}"


def reverse_key(key):
    return key.split(":", 3)[3]
