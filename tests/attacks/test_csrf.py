"""CSRF: the public forms refuse a post without the token (the protected URLs are in
test_urls.py), and no view skips the check except those listed here, with why."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver

from tests.attacks.urls import _walk
from tests.factories import DemandFactory

pytestmark = pytest.mark.django_db

CSRF_EXEMPT = {
    "network:unsubscribe": "mail clients post one-click unsubscriptions (RFC 8058) without "
    "any cookie; the signed link is the proof",
    "demands:embedded": "the form inside a town's website: a frame on another site keeps no "
    "cookie, and with no session there is nothing for a forged post to ride on; a post "
    "from another site is refused by its Origin (test_embedded.py)",
    "applicant_alerts:unsubscribe": "the same for a porteur's premises alerts (RFC 8058)",
    # The API reads no session: it authenticates the bearer token of the Authorization
    # header, which a browser never adds by itself to a forged cross-site request.
    **{
        f"api:{name}": "token-authenticated API (tests/shared_apps/api), no cookie is read"
        for name in (
            "demands",
            "demand",
            "demand_events",
            "premises",
            "premises_create",
            "premises_detail",
            "premises_update",
            "proposals",
            "partners",
            "dashboard",
            "towns",
            "town",
            "town_open_data",
        )
    },
}


def test_only_the_listed_views_skip_the_csrf_check():
    exempt = {
        name
        for urlconf in (settings.ROOT_URLCONF, settings.PUBLIC_SCHEMA_URLCONF)
        for name, _, entry in _walk(get_resolver(urlconf).url_patterns)
        if getattr(entry.callback, "csrf_exempt", False)
    }
    assert exempt == set(CSRF_EXEMPT)


@pytest.mark.parametrize(
    ("host", "path", "data"),
    [
        ("town", "/demande/", {"activity": "Boulangerie", "activity_category": "food"}),
        ("town", "/suivi/nouveau-lien/", {"email": "porteur@example.fr"}),
        ("town", "/suivi/{token}/action/", {"action": "installed"}),
        ("town", "/suivi/{token}/effacer/", {}),
        ("town", "/suivi/{token}/alertes/", {"alerts": "on"}),
        ("town", "/compte/login/", {"login": "x@example.fr", "password": "x"}),
        ("national", "/compte/login/", {"login": "x@example.fr", "password": "x"}),
        ("national", "/inscription/", {"territoire": "commune:83050"}),
        ("national", "/partenaires/inscription/", {"siret": "12345678900011"}),
    ],
)
def test_public_forms_refuse_a_post_without_the_csrf_token(town_a, in_town, host, path, data):
    with in_town(town_a):
        demand = DemandFactory()
        token = demand.followup_token()
    client = Client(
        enforce_csrf_checks=True,
        HTTP_HOST=town_a.host if host == "town" else settings.BASE_DOMAIN,
    )
    client.get(path.format(token=token))  # a visit sets the CSRF cookie, as a browser's would

    response = client.post(path.format(token=token), data)

    assert response.status_code == 403
    assert "CSRF" in response.text
    with in_town(town_a):
        demand.refresh_from_db()
        assert demand.erased_at is None and demand.status == "new"
