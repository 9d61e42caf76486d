"""Publishing premises and reading the porteurs' alert emails, as the tests of this app do."""

import re

from django.core import mail

from tenant_apps.applicant_alerts.models import Subscription
from tests.factories import DemandFactory, PremisesFactory
from tests.jobs import committing, run_jobs


def subscribed_demand(**fields):
    """An open demand (a shop of 40 to 90 m², 1 200 € a month) whose porteur asked for
    alerts; create it inside the town's schema."""
    demand = DemandFactory(**fields)
    Subscription.switch(demand, True)
    return demand


def publish(town, in_town, **fields):
    """A premises put in town's catalogue (a 60 m² shop at 1 000 € a month fits the
    default demand with a score of 100), its announcement run by the workers."""
    with in_town(town), committing():
        premises = PremisesFactory(is_published=True, **fields)
    run_jobs()
    return premises


def alerts_to(address):
    return [m for m in mail.outbox if address in m.to and "/locaux/" in m.body]


def catalogue_links(message):
    return re.findall(r"https?://\S+/locaux/\d+/", message.body)


def unsubscribe_path(message):
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    return "/" + url.split("/", 3)[3]
