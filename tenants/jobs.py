"""Background jobs per town: enqueue after commit, run inside the town's schema.

Every job function is called as `func(*args, **kwargs)` inside `schema_context(schema)`;
the schema name travels with the job, never the current connection's state.
"""

import hashlib
import logging
import os
import time

import django_rq
from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils.module_loading import import_string
from django_tenants.utils import schema_context

from tenants.logging import bind_town

logger = logging.getLogger(__name__)


def dotted_path(func):
    if isinstance(func, str):
        return func
    return f"{func.__module__}.{func.__qualname__}"


_queues = {}


def get_queue(name):
    """The rq queue `name`, kept per process: django_rq builds a new Redis client (and
    connection) on every call, which cost more than the enqueue itself."""
    # The configuration is part of the key: the tests point the queues at another
    # Redis database per process.
    key = (name, repr(settings.RQ_QUEUES[name]), os.getpid())
    if key not in _queues:
        _queues[key] = django_rq.get_queue(name)
    return _queues[key]


def enqueue_for_town(func, *args, schema_name=None, queue="default", **kwargs):
    """Run `func` in a worker, inside `schema_name` (default: the current town),
    once the current transaction commits (at once outside a transaction)."""
    schema_name = schema_name or connection.schema_name
    path = dotted_path(func)

    def enqueue():
        # In one round trip to Redis (rq's own pipeline would take two).
        rq_queue = get_queue(queue)
        with rq_queue.connection.pipeline() as pipe:
            rq_queue.enqueue(run_in_town, schema_name, path, args, kwargs, pipeline=pipe)
            pipe.execute()

    # robust: Redis being down must not turn a committed request into an error page.
    transaction.on_commit(enqueue, robust=True)


def run_in_town(schema_name, path, args, kwargs):
    """The worker side of enqueue_for_town."""
    # The town stays bound after the job, so that the worker's own lines about it
    # ("Job OK", a failure sent to Sentry) name it too; the next job binds its own.
    bind_town(schema_name)
    # As a request does: a connection broken meanwhile (its server failed over) is
    # dropped, and the next query reaches the new primary. Not inside a transaction (a job
    # run in-process by a test, or by a caller that holds one).
    if not connection.in_atomic_block:
        close_old_connections()
    with schema_context(schema_name):
        return import_string(path)(*args, **kwargs)


def for_each_town(*paths, queue="default"):
    """From the public schema, enqueue one job per reachable town that runs `paths` in
    it, in turn."""
    from tenants.models import Territory

    schemas = list(Territory.objects.reachable().values_list("schema_name", flat=True))
    path, args = (paths[0], ()) if len(paths) == 1 else ("tenants.jobs.run_each", (paths,))
    for schema_name in schemas:
        get_queue(queue).enqueue(run_in_town, schema_name, path, args, {})
    return len(schemas)


TOWNS_PER_JOB = 50


def for_towns_by_batch(path, size=TOWNS_PER_JOB, queue="default"):
    """Like for_each_town, for light work over thousands of towns (the nightly rollup):
    one job per `size` towns, each town run in its own schema in turn, every job queued
    in one round trip to Redis. A job's own cost (some ten round trips to Redis) is then
    paid once per batch, not per town."""
    from tenants.models import Territory

    schemas = list(Territory.objects.reachable().values_list("schema_name", flat=True))
    rq_queue = get_queue(queue)
    with rq_queue.connection.pipeline() as pipe:
        for start in range(0, len(schemas), size):
            rq_queue.enqueue(run_in_towns, schemas[start : start + size], path, pipeline=pipe)
        pipe.execute()
    return len(schemas)


def run_in_towns(schema_names, path):
    """The worker side of for_towns_by_batch: a town that fails keeps none of the others
    from running; the job then fails, naming it."""
    failed = []
    for schema_name in schema_names:
        try:
            run_in_town(schema_name, path, (), {})
        except Exception:
            logger.exception("%s en échec dans %s", path, schema_name)
            failed.append(schema_name)
    if failed:
        raise RuntimeError(f"{path} en échec dans : {', '.join(failed)}")


def run_each(paths):
    """Several periodic functions of a town in one job (one job per town and tick, not one
    per function); one that fails does not keep the others from running."""
    failed = []
    for path in paths:
        try:
            import_string(path)()
        except Exception:
            logger.exception("Tâche périodique %s en échec", path)
            failed.append(path)
    if failed:
        raise RuntimeError(f"en échec : {', '.join(failed)}")


def run_periodic(path, period_seconds, *args):
    """Entry point of scheduled jobs: runs `path` at most once per period, even if two
    schedulers enqueued the same tick."""
    slot = int(time.time() // period_seconds)
    arguments = hashlib.md5(repr(args).encode()).hexdigest()
    lock = f"boursoloco:periodic:{path}:{arguments}:{slot}"
    if not django_rq.get_connection("scheduled").set(lock, "1", nx=True, ex=period_seconds * 2):
        logger.info("Tâche périodique %s déjà lancée pour cette période", path)
        return None
    return import_string(path)(*args)
