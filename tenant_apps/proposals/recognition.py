"""The porteur recognised in the catalogue: their follow-up link, opened in this session
through /suivi/<token>/propositions/locaux/, lets them say « ce local m'intéresse » in one
click. The token is kept in the session (bound to the town's host), never in a URL of the
public pages."""

from dataclasses import dataclass

from django.core import signing

from tenant_apps.demands.models import Demand

SESSION_KEY = "porteur_followup_token"


@dataclass
class Porteur:
    demand: Demand
    token: str


def remember(request, token):
    request.session[SESSION_KEY] = token


def recognised(request):
    """The porteur whose follow-up link this session opened, while their demand is alive;
    None otherwise (a revoked, expired or closed demand's link is forgotten)."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str):
        return None
    try:
        demand = Demand.objects.from_followup_token(token)
    except (signing.BadSignature, Demand.DoesNotExist, ValueError, TypeError):
        demand = None
    if demand is None or not demand.is_alive:
        request.session.pop(SESSION_KEY, None)
        return None
    return Porteur(demand, token)
