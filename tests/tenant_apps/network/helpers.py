"""Running a town's queued jobs and reading what the partners received."""

import re

import django_rq
from django.core import mail
from django.test import TestCase
from rq import SimpleWorker


def run_jobs():
    """Run every queued job (alerts, then their emails) as the worker would; what a job
    enqueues once its transaction commits runs in the next round."""
    queues = [django_rq.get_queue("default"), django_rq.get_queue("emails")]
    for _ in range(5):
        if not any(queue.count for queue in queues):
            return
        with TestCase.captureOnCommitCallbacks(execute=True):
            SimpleWorker(queues, connection=queues[0].connection).work(burst=True)


def emails_to(address):
    return [message for message in mail.outbox if address in message.to]


def answer_links(message):
    """{'maybe': url, 'nothing': url, 'unsubscribe': url} from an alert email."""
    urls = re.findall(r"https?://\S+/partenaires/reponse/\S+/", message.body)
    return dict(zip(["maybe", "nothing", "unsubscribe"], urls, strict=True))


def path_of(url):
    return "/" + url.split("/", 3)[3]


def committing():
    """`with committing():` runs what the code inside deferred to its commit (the test's
    transaction never commits)."""
    return TestCase.captureOnCommitCallbacks(execute=True)
