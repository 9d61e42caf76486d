"""Running the queued jobs of the test's Redis database as the workers would."""

import django_rq
from django.test import TestCase
from rq import SimpleWorker


def run_jobs():
    """Run every queued job (announcements, alerts, then their emails) as the worker
    would; what a job enqueues once its transaction commits runs in the next round."""
    queues = [django_rq.get_queue("default"), django_rq.get_queue("emails")]
    for _ in range(5):
        if not any(queue.count for queue in queues):
            return
        with committing():
            SimpleWorker(queues, connection=queues[0].connection).work(burst=True)


def committing():
    """`with committing():` runs what the code inside deferred to its commit (the test's
    transaction never commits)."""
    return TestCase.captureOnCommitCallbacks(execute=True)
