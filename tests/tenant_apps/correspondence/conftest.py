"""Fixtures of the correspondence tests: demands committed in two towns (the SMTP
listener answers from its own thread and connection), the listener on a free port."""

import shutil
import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from tenant_apps.correspondence.addresses import reply_address
from tenant_apps.correspondence.smtp import ReplyController
from tenant_apps.demands.models import Applicant, Demand
from tenants.models import Territory
from tests.factories import DemandFactory


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CommittedDemand:
    """A demand committed in a town, with its reply address."""

    def __init__(self, town, **fields):
        self.town = town
        with schema_context(town.schema_name):
            self.demand = DemandFactory(**fields)
            self.address = reply_address(self.demand)
        connection.set_schema_to_public()

    @property
    def pk(self):
        return self.demand.pk

    def remove(self):
        with schema_context(self.town.schema_name):
            applicant_id = Demand.objects.filter(pk=self.pk).values_list("applicant_id", flat=True)
            Applicant.objects.filter(pk__in=list(applicant_id)).delete()
        connection.set_schema_to_public()


@pytest.fixture
def committed_towns(committed_db):
    towns = Territory.objects.filter(slug__in=["ville-a", "ville-b"]).order_by("slug")
    town_a, town_b = list(towns)
    made = []

    def make(town, **fields):
        item = CommittedDemand(town, **fields)
        made.append(item)
        return item

    yield town_a, town_b, make
    for item in made:
        item.remove()
    for town in (town_a, town_b):
        shutil.rmtree(Path(settings.PRIVATE_ROOT) / town.schema_name / "correspondence", True)


@pytest.fixture
def listener(committed_db):
    """The real listener (SMTP) on a free port of 127.0.0.1; yields the port."""
    controller = ReplyController("127.0.0.1", free_port())
    controller.start()
    yield controller.port
    controller.stop()


@pytest.fixture
def lmtp_listener(committed_db):
    controller = ReplyController("127.0.0.1", free_port(), lmtp=True)
    controller.start()
    yield controller.port
    controller.stop()
