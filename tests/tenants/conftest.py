"""Fixtures that capture what logs and Sentry receive."""

import json
import logging

import pytest
import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.transport import Transport

from tenants.logging import JsonFormatter, TerritoryFilter


@pytest.fixture
def json_lines():
    """json_lines("logger.name") → the JSON lines that logger writes during the test."""
    handlers = []

    def capture(name):
        lines = []
        formatter, town_filter = JsonFormatter(), TerritoryFilter()

        class Collect(logging.Handler):
            def emit(self, record):
                town_filter.filter(record)
                lines.append(json.loads(formatter.format(record)))

        handler = Collect()
        logging.getLogger(name).addHandler(handler)
        handlers.append((name, handler))
        return lines

    yield capture
    for name, handler in handlers:
        logging.getLogger(name).removeHandler(handler)


@pytest.fixture
def sentry_events():
    """The events Sentry would send, with the Django integration on."""
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
