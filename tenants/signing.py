"""Signed links per town: the town is part of the salt, so that a link of one town means
nothing on another."""

from django.db import connection


def town_salt(salt):
    return f"{salt}.{connection.schema_name}"
