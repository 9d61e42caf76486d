"""Running a town's queued jobs and reading what the partners received."""

import re

import django_rq
from django.core import mail
from rq import SimpleWorker


def run_jobs():
    """Run every queued job (alerts, then their emails) as the worker would."""
    queues = [django_rq.get_queue("default"), django_rq.get_queue("emails")]
    SimpleWorker(queues, connection=queues[0].connection).work(burst=True)


def emails_to(address):
    return [message for message in mail.outbox if address in message.to]


def answer_links(message):
    """{'maybe': url, 'nothing': url, 'unsubscribe': url} from an alert email."""
    urls = re.findall(r"https?://\S+/partenaires/reponse/\S+/", message.body)
    return dict(zip(["maybe", "nothing", "unsubscribe"], urls, strict=True))


def path_of(url):
    return "/" + url.split("/", 3)[3]
