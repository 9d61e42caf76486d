"""The cache: keys per town, except the login rate limits, which protect accounts that are
shared by every town and so must count attempts across all of them."""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import connection
from redis.exceptions import RedisError
from redis.sentinel import Sentinel

logger = logging.getLogger(__name__)

GLOBAL_PREFIXES = ("allauth:rl:",)


def make_key(key, key_prefix, version):
    scope = "global" if key.startswith(GLOBAL_PREFIXES) else connection.schema_name
    return f"{scope}:{key_prefix}:{version}:{key}"


def reverse_key(key):
    return key.split(":", 3)[3]


class SentinelCacheClient(RedisCacheClient):
    """Django's Redis cache client, asking Redis Sentinel which server is the master (at
    the first use, and again whenever a connection to it fails: after a failover)."""

    def __init__(self, servers, sentinels, master_name, **options):
        super().__init__(servers, **options)
        self._sentinels = sentinels
        self._master_name = master_name

    def _get_connection_pool(self, write):
        if 0 not in self._pools:
            timeouts = {
                name: self._pool_options[name]
                for name in ("socket_timeout", "socket_connect_timeout")
                if name in self._pool_options
            }
            sentinel = Sentinel(self._sentinels, sentinel_kwargs=timeouts, **self._pool_options)
            self._pools[0] = sentinel.master_for(self._master_name).connection_pool
        return self._pools[0]


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, failing open: with Redis out of reach, a read finds nothing
    and a write is skipped (logged; an add reports success), so that no outage turns a
    page into an error — allauth's login rate limits, the catalogue's cached lists and
    the dashboard's figures all read the cache on the way. Counters (incr) still raise:
    their callers decide. With `sentinels` in its OPTIONS, it finds the master through
    Redis Sentinel."""

    def __init__(self, server, params):
        super().__init__(server, params)
        if "sentinels" in self._options:
            self._class = SentinelCacheClient

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError:
            return unreachable("lecture", default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError:
            return unreachable("lecture", {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError:
            return unreachable("lecture", False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError:
            # As if added: allauth's rate-limit lock would otherwise wait, then refuse.
            return unreachable("écriture", True)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except RedisError:
            return unreachable("écriture", None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError:
            return unreachable("écriture", list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError:
            return unreachable("écriture", False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError:
            return unreachable("écriture", False)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except RedisError:
            return unreachable("écriture", None)


def unreachable(what, result):
    logger.warning("Redis injoignable : %s du cache ignorée", what)
    return result
