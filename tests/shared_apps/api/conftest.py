"""Fixtures of the API tests: tokens issued the way the token pages issue them, and
clients that send them."""

import pytest

from shared_apps.api.models import ApiToken
from tests.conftest import client_for

# The console's client of an ANCT agent past their second factor.
from tests.shared_apps.test_console import anct  # noqa: F401


@pytest.fixture
def issue(db):
    """`issue(territory, *scopes, days=30)`: a new token's key."""

    def make(territory, *scopes, days=30):
        _, key = ApiToken.issue(territory, name="Outil", scopes=list(scopes), days=days, by=None)
        return key

    return make


def api_client(territory, key=None):
    """A client of `territory`'s host that sends the bearer `key`."""
    client = client_for(territory)
    if key:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client
