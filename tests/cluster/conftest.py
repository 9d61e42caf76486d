"""The cluster test runs only under `make test-cluster` (BOURSOLOCO_CLUSTER_TEST=1): it
starts its own PostgreSQL, Redis and app processes and takes minutes. It uses neither the
suite's test database nor its Redis."""

import pytest

from tests.cluster.cluster import Cluster


@pytest.fixture
def _clean_redis():
    """The suite's Redis is not this test's: nothing to flush."""


@pytest.fixture
def _public_schema_first():
    """No Django database connection here."""


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster()
    try:
        cluster.timings = cluster.start()
        yield cluster
    finally:
        cluster.stop()
