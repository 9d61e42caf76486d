"""Jobs: enqueued after commit, run in their town, periodic ones at most once per period."""

import logging

import django_rq
import pytest
import sentry_sdk
from django.db import connection
from rq import SimpleWorker

from tenants.jobs import enqueue_for_town, for_each_town, for_towns_by_batch, run_periodic

pytestmark = pytest.mark.django_db

CALLS = []


def record_call(*args):
    CALLS.append((connection.schema_name, args))
    return len(CALLS)


def fail_loudly():
    raise RuntimeError("échec voulu")


def drain(queue_name="default"):
    queue = django_rq.get_queue(queue_name)
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_nothing_is_enqueued_before_the_transaction_commits(
    town_a, django_capture_on_commit_callbacks
):
    queue = django_rq.get_queue("default")
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue_for_town(record_call, "x", schema_name=town_a.schema_name)
        assert queue.count == 0
    assert len(callbacks) == 1
    callbacks[0]()
    assert queue.count == 1


def test_a_job_defaults_to_the_current_town(town_a, in_town, django_capture_on_commit_callbacks):
    CALLS.clear()
    with in_town(town_a), django_capture_on_commit_callbacks(execute=True):
        enqueue_for_town(record_call, "y")
    connection.set_schema_to_public()
    drain()
    assert CALLS == [(town_a.schema_name, ("y",))]


def test_enqueueing_survives_redis_being_down(town_a, settings, django_capture_on_commit_callbacks):
    settings.RQ_QUEUES = {
        name: {**conf, "URL": "redis://127.0.0.1:1/0"} for name, conf in settings.RQ_QUEUES.items()
    }
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_for_town(record_call, schema_name=town_a.schema_name)
    # No exception reached the caller: the request that enqueued still succeeds.


def test_for_each_town_reaches_every_reachable_town_once(town_a, town_b):
    CALLS.clear()
    town_b.suspend()
    count = for_each_town("tests.tenants.test_jobs.record_call")
    drain()
    assert count == len(CALLS)
    schemas = [schema for schema, _ in CALLS]
    assert town_a.schema_name in schemas
    assert town_b.schema_name not in schemas
    assert len(schemas) == len(set(schemas))


def test_several_periodic_functions_run_in_one_job_per_town_and_one_failure_stops_none(
    town_a, town_b
):
    CALLS.clear()
    count = for_each_town(
        "tests.tenants.test_jobs.fail_loudly",
        "tests.tenants.test_jobs.record_call",
        "tests.tenants.test_jobs.record_call",
    )
    queue = django_rq.get_queue("default")
    assert queue.count == count  # one job per town, not one per function
    drain()
    schemas = [schema for schema, _ in CALLS]
    assert schemas.count(town_a.schema_name) == schemas.count(town_b.schema_name) == 2
    assert queue.failed_job_registry.count == count  # the failure is still reported


def test_towns_by_batch_reach_every_reachable_town_once_in_few_jobs(town_a, town_b):
    CALLS.clear()
    count = for_towns_by_batch("tests.tenants.test_jobs.record_call", size=50)
    queue = django_rq.get_queue("default")
    assert queue.count == -(-count // 50)
    drain()
    schemas = [schema for schema, _ in CALLS]
    assert sorted(schemas) == sorted(set(schemas))
    assert {town_a.schema_name, town_b.schema_name} <= set(schemas)
    assert len(schemas) == count


def test_a_town_failing_in_a_batch_stops_none_of_the_others(town_a, town_b, monkeypatch):
    CALLS.clear()

    def fail_in_town_a():
        if connection.schema_name == town_a.schema_name:
            raise RuntimeError("échec voulu")
        record_call()

    monkeypatch.setattr(
        "tests.tenants.test_jobs.record_call_unless_a", fail_in_town_a, raising=False
    )
    for_towns_by_batch("tests.tenants.test_jobs.record_call_unless_a", size=50)
    drain()
    schemas = [schema for schema, _ in CALLS]
    assert town_b.schema_name in schemas
    assert town_a.schema_name not in schemas
    assert django_rq.get_queue("default").failed_job_registry.count == 1


def test_a_periodic_job_runs_once_per_period_even_if_enqueued_twice():
    CALLS.clear()
    first = run_periodic("tests.tenants.test_jobs.record_call", 3600, "tick")
    second = run_periodic("tests.tenants.test_jobs.record_call", 3600, "tick")
    assert first == 1
    assert second is None
    assert CALLS == [("public", ("tick",))]


def test_logs_name_the_town_of_the_job(town_a, json_lines):
    records = json_lines("tests.jobs")
    queue = django_rq.get_queue("default")
    queue.enqueue(
        "tenants.jobs.run_in_town",
        town_a.schema_name,
        "tests.tenants.test_jobs.log_something",
        (),
        {},
    )
    drain()
    assert records and records[0]["town"] == town_a.schema_name
    assert records[0]["message"] == "bonjour depuis la file"


def log_something():
    logging.getLogger("tests.jobs").warning("bonjour depuis la file")


def test_job_errors_reach_sentry_tagged_with_the_town(town_b, sentry_events):
    queue = django_rq.get_queue("default")
    queue.enqueue(
        "tenants.jobs.run_in_town",
        town_b.schema_name,
        "tests.tenants.test_jobs.fail_loudly",
        (),
        {},
    )
    queue_job = queue.get_jobs()[0]
    SimpleWorker(
        [queue], connection=queue.connection, exception_handlers=[capture_with_sentry]
    ).work(burst=True)
    assert queue_job.get_status(refresh=True) == "failed"
    errors = [e for e in sentry_events if isinstance(e, dict) and e.get("exception")]
    assert errors, sentry_events
    assert errors[0]["tags"]["town"] == town_b.schema_name


def capture_with_sentry(job, exc_type, exc_value, traceback):
    sentry_sdk.capture_exception((exc_type, exc_value, traceback))
    return True
