"""The suite keeps out of the way of whatever else uses the machine's PostgreSQL and Redis
(tests/shared_services.py): checked on a private redis-server, and on real connections."""

import psycopg
import pytest
import redis
from django.conf import settings

from tests.faults.helpers import RedisServer, database_url, wait_for
from tests.shared_services import (
    LEASE,
    MARK,
    ConnectionSampler,
    claim_redis_database,
    release_redis,
    reset_redis,
)


@pytest.fixture
def private_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server.url.rsplit("/", 1)[0]
    server.stop()


def test_a_database_holding_someone_elses_keys_is_never_claimed_nor_flushed(private_server):
    with redis.Redis.from_url(f"{private_server}/1") as theirs:
        theirs.set("their:session", "precious")
        index = claim_redis_database(private_server, 1, "run-a")
        assert index == 2
        with pytest.raises(RuntimeError, match="not leased to this run"):
            reset_redis(theirs, "run-a")
        assert theirs.get("their:session") == b"precious"


def test_two_runs_never_claim_the_same_database(private_server):
    first = claim_redis_database(private_server, 1, "run-a")
    second = claim_redis_database(private_server, 1, "run-b")
    assert first != second
    with redis.Redis.from_url(f"{private_server}/{first}") as connection:
        with pytest.raises(RuntimeError):
            reset_redis(connection, "run-b")
        connection.set("run-a:key", "1")
        reset_redis(connection, "run-a")
        assert connection.get("run-a:key") is None
        assert connection.get(LEASE) == b"run-a"


def test_a_released_database_is_claimed_again_even_with_leftovers(private_server):
    index = claim_redis_database(private_server, 1, "run-a")
    with redis.Redis.from_url(f"{private_server}/{index}") as connection:
        release_redis(connection, "run-a")
        assert connection.exists(MARK) and not connection.exists(LEASE)
        connection.set("written:after:release", "1")  # a late write of the run
    assert claim_redis_database(private_server, 1, "run-b") == index


def test_no_free_database_is_a_clear_error(private_server):
    for index in range(16):
        with redis.Redis.from_url(f"{private_server}/{index}") as connection:
            connection.set("busy", "1")
    with pytest.raises(RuntimeError, match="No free Redis database"):
        claim_redis_database(private_server, 1, "run-a")


def test_the_suites_own_database_is_claimed(db):
    with redis.Redis.from_url(settings.REDIS_URL) as connection:
        assert connection.exists(MARK)
        assert connection.get(LEASE).decode().startswith("boursoloco-test-")


def test_the_sampler_counts_the_connections_of_its_run_only():
    url = database_url()
    sampler = ConnectionSampler(url, "budget-probe", every=0.05)
    connections = [psycopg.connect(url, application_name="budget-probe") for _ in range(3)]
    others = psycopg.connect(url, application_name="someone-else")
    try:
        sampler.start()
        wait_for(lambda: sampler.peak >= 3, message="the sampler to see the connections")
    finally:
        peak = sampler.stop()
        for connection in [*connections, others]:
            connection.close()
    assert peak == 3


def test_the_runs_own_flush_does_not_lose_its_claim(private_server):
    """cache.clear() empties the database, lease included: the claim is also held by the
    process that made it, and no other run's lease is overwritten."""
    index = claim_redis_database(private_server, 1, "run-a")
    with redis.Redis.from_url(f"{private_server}/{index}") as connection:
        connection.flushdb()
        reset_redis(connection, "run-a")
        assert connection.get(LEASE) == b"run-a"
        connection.set(LEASE, "run-b")  # another run took it meanwhile
        with pytest.raises(RuntimeError):
            reset_redis(connection, "run-a")
