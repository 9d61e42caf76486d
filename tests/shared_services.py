"""The suite shares PostgreSQL and Redis with whatever else runs on the machine.

Redis: a database number is *claimed* before use, and only a claimed database is ever
flushed. A database is free when it is empty, or when it carries the suite's mark and no
run holds its lease (a run that crashed left it). The lease is a key with a time to live,
taken with SET NX, so two runs (or two workers) never claim the same number.

PostgreSQL: every connection the run opens, the workers', the e2e servers' and their
workers', carries the run's name (libpq's PGAPPNAME, inherited by every subprocess). The
controller samples pg_stat_activity while the run goes and fails the run when the peak
passes CONNECTION_BUDGET.
"""

import os
import threading

import psycopg
import redis

MARK = "boursoloco:test-suite:mark"
LEASE = "boursoloco:test-suite:lease"
LEASE_SECONDS = 3600
LAST_DATABASE = 15  # Redis's default: databases 0-15

# What the suite may hold at once, with two xdist workers (make test): per worker its test
# connection, a second for tests of concurrent writers, the e2e database's web server
# (runserver's threads), its rq worker and its mail listener; plus this sampler. Checked
# at the end of every run (pytest_sessionfinish in tests/conftest.py).
CONNECTION_BUDGET = int(os.environ.get("TEST_CONNECTION_BUDGET", "30"))


# What this process claimed: {(host, port, database): owner}. The lease key alone is not
# enough: the run's own cache.clear() empties the database, lease included.
_claimed = {}


def _address(connection):
    kwargs = connection.connection_pool.connection_kwargs
    return kwargs.get("host"), kwargs.get("port"), kwargs.get("db", 0)


def claim_redis_database(server, first, owner):
    """The first database number from `first` that is free, now leased to `owner`;
    `server` is a redis:// URL without the database number."""
    for index in range(first, LAST_DATABASE + 1):
        with redis.Redis.from_url(f"{server}/{index}") as connection:
            size = connection.dbsize()
            ours_and_idle = connection.exists(MARK) and not connection.exists(LEASE)
            if size and not ours_and_idle:
                continue
            if connection.set(LEASE, owner, nx=True, ex=LEASE_SECONDS):
                connection.set(MARK, "1")
                _claimed[_address(connection)] = owner
                return index
    raise RuntimeError(
        f"No free Redis database between {first} and {LAST_DATABASE} on {server}: each is "
        "in use by something else. Point REDIS_URL at another server or database."
    )


def run_name():
    """This run's name, given by the controller to every process it starts."""
    return os.environ["PGAPPNAME"]


def reset_redis(connection, owner=None):
    """Empty a database this process claimed, keeping its mark and lease (in one step)."""
    owner = owner or os.environ["TEST_REDIS_OWNER"]
    leased_to = connection.get(LEASE)
    if _claimed.get(_address(connection)) != owner or leased_to not in (None, owner.encode()):
        raise RuntimeError(
            "This Redis database is not leased to this run (another run's, or never "
            "claimed): not flushing it."
        )
    with connection.pipeline(transaction=True) as pipe:
        pipe.flushdb()
        pipe.set(MARK, "1")
        pipe.set(LEASE, owner, ex=LEASE_SECONDS)
        pipe.execute()


def release_redis(connection, owner):
    """Empty the database and give it back (marked: free for the next run of the suite)."""
    if _claimed.pop(_address(connection), None) == owner:
        with connection.pipeline(transaction=True) as pipe:
            pipe.flushdb()
            pipe.set(MARK, "1")
            pipe.execute()


class ConnectionSampler:
    """Samples how many PostgreSQL connections carry `application_name` until stopped."""

    def __init__(self, conninfo, application_name, every=0.2):
        self.conninfo, self.application_name, self.every = conninfo, application_name, every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=5)
        return self.peak

    def _run(self):
        with psycopg.connect(self.conninfo, autocommit=True) as connection:
            while not self._stop.is_set():
                (count,) = connection.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                    [self.application_name],
                ).fetchone()
                self.peak = max(self.peak, count)
                self._stop.wait(self.every)
