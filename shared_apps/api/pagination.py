"""Cursor pagination and the `updated_since` filter shared by the API's lists.

A list is read in a stable order — (updated_at, id) where the rows have an updated_at,
else id — and a page ends with `next_cursor`, an opaque string that names the last row
seen: the next page starts right after it, whatever was added or changed meanwhile (a row
changed later comes back in a later page, which is what a synchronisation wants). A
page costs the same queries whatever its size (tests/shared_apps/api/test_lists.py)."""

import base64
import binascii
import json
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from ninja import Schema

from shared_apps.api.problems import ApiProblem

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class Page(Schema):
    items: list
    next_cursor: str | None


def encode(values):
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode(cursor, size):
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise ApiProblem(
            422,
            "Curseur invalide : reprenez la valeur « next_cursor » de la page précédente, "
            "telle quelle.",
            errors=[{"field": "cursor", "detail": "Curseur invalide."}],
        )
    return values


def check_limit(limit):
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiProblem(
            422,
            f"Le nombre d’éléments par page est compris entre 1 et {MAX_LIMIT}.",
            errors=[{"field": "limit", "detail": f"Entre 1 et {MAX_LIMIT}."}],
        )


def since_filter(updated_since, *fields):
    """Rows changed (any of `fields`) at or after `updated_since`; an aware datetime."""
    if updated_since is None:
        return Q()
    if timezone.is_naive(updated_since):
        updated_since = timezone.make_aware(updated_since)
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__gte": updated_since})
    return query


def paginate(queryset, *, cursor, limit, by_time=None):
    """One page of `queryset`: (rows, next_cursor). `by_time` names the timestamp the
    order starts with (e.g. "updated_at"); without it, rows go by id."""
    check_limit(limit)
    if by_time:
        queryset = queryset.order_by(by_time, "pk")
        if cursor:
            moment, pk = decode(cursor, 2)
            try:
                moment = datetime.fromisoformat(moment)
                pk = int(pk)
            except (TypeError, ValueError):
                decode("", 2)  # raises the same problem
            queryset = queryset.filter(
                Q(**{f"{by_time}__gt": moment}) | Q(**{by_time: moment, "pk__gt": pk})
            )
    else:
        queryset = queryset.order_by("pk")
        if cursor:
            (pk,) = decode(cursor, 1)
            if not isinstance(pk, int):
                decode("", 1)
            queryset = queryset.filter(pk__gt=pk)
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if not more:
        return rows, None
    last = rows[-1]
    if isinstance(last, dict):  # a .values() page
        moment, pk = last.get(by_time), last["id"]
    else:
        moment, pk = getattr(last, by_time, None), last.pk
    return rows, encode([moment.isoformat(), pk] if by_time else [pk])
