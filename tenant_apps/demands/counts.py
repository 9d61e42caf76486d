"""Counts of a town's demands, cached in Redis (per town) until a demand changes.

Counting tens of thousands of rows costs tens of milliseconds each time; the inbox shows
several counts on every page, and they only change when a demand does."""

import contextlib
import hashlib
import logging

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
VERSION_KEY = "demands:version"
TTL = 300


def bump_version():
    """The next version, in one round trip (Django's incr takes two). A version lost
    (evicted) starts again at 2, never at a 1 whose counts may still be cached."""
    key = cache.make_and_validate_key(VERSION_KEY)
    try:
        client = cache._cache.get_client(key, write=True)
        client.pipeline().set(key, 1, nx=True).incr(key).execute()
    except RedisError:
        logger.warning("Redis injoignable : compteurs de demandes non invalidés")


def cached_count(name, params, compute):
    """compute(), remembered for this town, these parameters and this state of the data."""
    try:
        version = cache.get_or_set(VERSION_KEY, 1, None)
        key = f"demands:{name}:{version}:{hashlib.md5(params.encode()).hexdigest()}"
        value = cache.get(key)
    except RedisError:
        return compute()
    if value is None:
        value = compute()
        with contextlib.suppress(RedisError):
            cache.set(key, value, TTL)
    return value
