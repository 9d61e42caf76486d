"""Webhooks' fixtures: a real receiver on localhost, endpoints, and the webhooks queue
run as a worker would."""

import django_rq
import pytest
from rq import SimpleWorker

from tenant_apps.webhooks.enums import EventType
from tenant_apps.webhooks.models import Webhook
from tests.jobs import committing
from tests.tenant_apps.webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as receiver:
        yield receiver


def make_webhook(town, url, events=None, **fields):
    from django_tenants.utils import schema_context

    with schema_context(town.schema_name):
        return Webhook.objects.create(url=url, events=events or list(EventType.values), **fields)


def run_webhook_jobs():
    """Run what waits in the webhooks queue (not the scheduled retries: their time has
    not come), committing as a worker would."""
    queue = django_rq.get_queue("webhooks")
    with committing():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)


def scheduled_retries():
    """When the retries scheduled in the webhooks queue will run."""
    queue = django_rq.get_queue("webhooks")
    registry = queue.scheduled_job_registry
    return [registry.get_scheduled_time(job_id) for job_id in registry.get_job_ids()]
