"""Web requests name their town in logs and Sentry events; errors show a French page."""

import json
import logging

import pytest
import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.transport import Transport

from tenants.logging import JsonFormatter, TerritoryFilter
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """The JSON lines the `django.request` logger writes during the test."""
    lines = []
    formatter, town_filter = JsonFormatter(), TerritoryFilter()

    class Collect(logging.Handler):
        def emit(self, record):
            town_filter.filter(record)
            lines.append(json.loads(formatter.format(record)))

    handler = Collect()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def test_request_logs_name_the_town(town_a, town_b, json_lines):
    client_for(town_a).get("/nulle-part/")
    client_for(town_b).get("/ailleurs/")

    assert [(line["town"], line["message"]) for line in json_lines] == [
        (town_a.schema_name, "Not Found: /nulle-part/"),
        (town_b.schema_name, "Not Found: /ailleurs/"),
    ]


@pytest.fixture
def sentry_events():
    events = []

    class Capture(Transport):
        def capture_envelope(self, envelope):
            events.extend(item.payload.json for item in envelope.items if item.payload.json)

    sentry_sdk.init(
        dsn="http://key@127.0.0.1:9/1",
        transport=Capture,
        integrations=[DjangoIntegration()],
        default_integrations=False,
    )
    yield events
    sentry_sdk.init(dsn=None)


def test_web_errors_reach_sentry_tagged_with_the_town(town_b, sentry_events, settings):
    settings.ROOT_URLCONF = "tests.tenants.urls_failing"
    client = client_for(town_b)
    client.raise_request_exception = False

    response = client.get("/panne/")

    assert response.status_code == 500
    assert "Erreur inattendue" in response.text
    errors = [event for event in sentry_events if event.get("exception")]
    assert errors and errors[0]["tags"]["town"] == town_b.schema_name
