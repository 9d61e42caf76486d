"""Token authentication of the API: a bearer token of this host's territory, live, within
its rate limit, holding the route's scope. Every route names its scope (TokenAuth(scope));
tests/shared_apps/api/test_scopes.py walks the routes and fails on one without."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from ninja.security import HttpBearer
from redis.exceptions import RedisError

from shared_apps.api.enums import Scope
from shared_apps.api.models import ApiToken, digest
from shared_apps.api.problems import ApiProblem

logger = logging.getLogger(__name__)

PERSONAL = Scope.PERSONAL_READ
RATE_WINDOW = 60


def keys(token_pk):
    return {
        name: cache.make_and_validate_key(f"api:{name}:{token_pk}") for name in ("calls", "written")
    }


def count_call(token):
    """Count one more call of `token`, in Redis: against its rate limit (per minute) and
    for its use shown to the admins, written to its row at most every
    settings.API_USAGE_WRITE_SECONDS (every call of a busy token writing one row would
    queue them all on its lock). Returns the seconds to wait once the token exceeds
    settings.API_REQUESTS_PER_MINUTE, else 0. One round trip to Redis, two when this call
    writes the use; with Redis out of reach, no limit and the use written at once."""
    window = int(time.time() // RATE_WINDOW)
    rate = cache.make_and_validate_key(f"api:rate:{token.pk}:{window}")
    usage = keys(token.pk)
    every = settings.API_USAGE_WRITE_SECONDS
    try:
        client = cache._cache.get_client(rate, write=True)
        pipe = client.pipeline().incr(rate).expire(rate, RATE_WINDOW * 2).incr(usage["calls"])
        if every:
            pipe.set(usage["written"], 1, nx=True, ex=every)
        count, _, _, *write = pipe.execute()
        if not every or write[0]:
            pending, _ = client.pipeline().get(usage["calls"]).delete(usage["calls"]).execute()
            token.record_use(int(pending or 0))
    except RedisError:
        logger.warning("Redis injoignable : limite de l’API non vérifiée")
        token.record_use()
        return 0
    if count <= settings.API_REQUESTS_PER_MINUTE:
        return 0
    return max(1, int((window + 1) * RATE_WINDOW - time.time()) + 1)


def with_pending_calls(tokens):
    """`tokens` with their calls not yet written to their rows added (from Redis)."""
    tokens = list(tokens)
    if not tokens:
        return tokens
    names = [keys(token.pk)["calls"] for token in tokens]
    try:
        client = cache._cache.get_client(names[0])
        pending = client.mget(names)
    except RedisError:
        return tokens
    for token, count in zip(tokens, pending, strict=True):
        token.calls += int(count or 0)
    return tokens


class TokenAuth(HttpBearer):
    def __init__(self, scope):
        super().__init__()
        self.scope = Scope(scope)

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise ApiProblem(
                401,
                "Jeton manquant : ajoutez l’en-tête « Authorization: Bearer <jeton> ». Les "
                "administrateurs de l’espace créent les jetons (Réglages → API).",
            )
        return self.authenticate(request, key.strip())

    def authenticate(self, request, key):
        token = ApiToken.objects.filter(key_hash=digest(key)).first()
        # A token of another territory is treated as unknown: nothing tells it exists.
        if token is None or token.territory_id != request.tenant.pk:
            raise ApiProblem(401, "Jeton inconnu sur cet espace.")
        if token.revoked_at is not None:
            raise ApiProblem(401, "Ce jeton a été révoqué.")
        if not token.is_live:
            raise ApiProblem(401, "Ce jeton a expiré : demandez-en un nouveau.")
        wait = count_call(token)
        if wait:
            raise ApiProblem(
                429,
                f"Ce jeton a fait plus de {settings.API_REQUESTS_PER_MINUTE} requêtes en une "
                f"minute : réessayez dans {wait} s.",
                headers={"Retry-After": str(wait)},
            )
        if self.scope not in token.scopes:
            raise ApiProblem(
                403, f"Ce jeton n’a pas le droit « {self.scope.value} » ({self.scope.label})."
            )
        return token


def sees_personal_data(request):
    return PERSONAL in request.auth.scopes
