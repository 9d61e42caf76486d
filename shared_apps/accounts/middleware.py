"""A session opened on one town (or the national site) authenticates nobody elsewhere."""

from django.contrib.auth.models import AnonymousUser

from shared_apps.accounts.signals import SESSION_TERRITORY_KEY


class SessionTerritoryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        replayed = (
            tenant is not None
            and request.user.is_authenticated
            and request.session.get(SESSION_TERRITORY_KEY) != tenant.schema_name
        )
        if replayed:
            # A cookie replayed on another host: treat the request as anonymous and
            # leave the legitimate session alone.
            request.user = AnonymousUser()
        return self.get_response(request)
