"""The demo's correspondence: an email and its reply on a town's most advanced demand."""

import pytest

from tenant_apps.correspondence.demo import write_some
from tenant_apps.correspondence.models import DemandEmail
from tests.factories import DemandFactory

pytestmark = pytest.mark.django_db


def test_the_demo_writes_once_to_an_advanced_consenting_demand(town_a, town_b, in_town):
    with in_town(town_a):
        DemandFactory(status="searching", consent_to_share=False)
        chosen = DemandFactory(status="visit", consent_to_share=True)

        assert write_some(7) == 1
        assert write_some(7) == 0  # loading the demo again adds nothing

        emails = list(DemandEmail.objects.order_by("created_at"))
        assert [(e.demand_id, e.direction) for e in emails] == [
            (chosen.pk, "out"),
            (chosen.pk, "in"),
        ]
        assert emails[0].outbound.sent_at is not None  # nothing left for the worker to send
        assert "Bonjour Camille" in emails[0].body
        kinds = list(chosen.events.values_list("kind", flat=True))
        assert kinds.count("email_sent") == kinds.count("email_received") == 1
    with in_town(town_b):
        assert not DemandEmail.objects.exists()
