"""Fixtures of the fault tests: private servers that are stopped even when a test fails."""

import pytest

from tests.faults.helpers import RedisServer, SmtpSink, kill


@pytest.fixture
def private_redis(tmp_path, settings):
    """A redis-server of this test's own, used by the app's cache and queues meanwhile."""
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": server.url},
    }
    settings.RQ_QUEUES = {
        name: {**queue, "URL": server.url} for name, queue in settings.RQ_QUEUES.items()
    }
    yield server
    server.stop()


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def workers():
    """Worker processes a test starts (append them): killed at the end, whatever happens."""
    started = []
    yield started
    for process in started:
        kill(process)
