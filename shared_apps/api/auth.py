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


def over_limit(token):
    """Count one more call of `token` in the current minute; the seconds to wait once it
    exceeds settings.API_REQUESTS_PER_MINUTE, else 0. One round trip to Redis; fails open
    (an outage of Redis must not stop the API)."""
    window = int(time.time() // RATE_WINDOW)
    key = cache.make_and_validate_key(f"api:rate:{token.pk}:{window}")
    try:
        client = cache._cache.get_client(key, write=True)
        count, _ = client.pipeline().incr(key).expire(key, RATE_WINDOW * 2).execute()
    except RedisError:
        logger.warning("Redis injoignable : limite de l’API non vérifiée")
        return 0
    if count <= settings.API_REQUESTS_PER_MINUTE:
        return 0
    return max(1, int((window + 1) * RATE_WINDOW - time.time()) + 1)


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
        wait = over_limit(token)
        if wait:
            raise ApiProblem(
                429,
                f"Ce jeton a fait plus de {settings.API_REQUESTS_PER_MINUTE} requêtes en une "
                f"minute : réessayez dans {wait} s.",
                headers={"Retry-After": str(wait)},
            )
        token.record_use()
        if self.scope not in token.scopes:
            raise ApiProblem(
                403, f"Ce jeton n’a pas le droit « {self.scope.value} » ({self.scope.label})."
            )
        return token


def sees_personal_data(request):
    return PERSONAL in request.auth.scopes
