"""Per-address rate limits, counted in Redis (the cache, hence per town)."""

import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def client_ip(request):
    """The visitor's address; behind the production proxy, the one nginx saw."""
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def address_key(request):
    """The visitor's address; an IPv6 visitor controls a whole /64, so it counts as one."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


def over_limit(request, action, limit, period=3600, key=None):
    """Count one more `action` from this address (or `key`); True once it exceeds `limit`
    per period. One round trip to Redis. Fails open: Redis being down must not turn a
    form into an error page."""
    key = cache.make_and_validate_key(f"ratelimit:{action}:{key or address_key(request)}")
    try:
        client = cache._cache.get_client(key, write=True)
        # The period starts with the first attempt (NX): later ones do not extend it.
        count, _ = client.pipeline().incr(key).expire(key, period, nx=True).execute()
    except RedisError:
        logger.warning("Redis injoignable : limite %s non vérifiée", action)
        return False
    return count > limit
