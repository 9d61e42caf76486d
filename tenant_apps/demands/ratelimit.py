"""Per-address rate limits, counted in Redis (the cache, hence per town)."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    """The visitor's address; behind the production proxy, the one nginx saw."""
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def over_limit(request, action, limit, period=3600):
    """Count one more `action` from this address; True once it exceeds `limit` per period."""
    key = f"ratelimit:{action}:{client_ip(request)}"
    cache.add(key, 0, period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period)
        count = 1
    return count > limit
