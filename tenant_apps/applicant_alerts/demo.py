"""The porteurs' alerts in the demo: some porteurs asked for them. Run inside a town's
schema, with its own random draws (the rest of the demo stays as it was). Nothing is
announced: the demo's premises are written in bulk, without the save that announces."""

import random

from tenant_apps.applicant_alerts.models import Subscription
from tenant_apps.demands.models import Demand

SUBSCRIBED_SHARE = 0.4


def subscribe_some(seed):
    rng = random.Random(seed + 11)
    demands = Demand.objects.open().order_by("pk").values_list("pk", flat=True)
    chosen = [pk for pk in demands if rng.random() < SUBSCRIBED_SHARE]
    Subscription.objects.bulk_create(Subscription(demand_id=pk) for pk in chosen)
    return len(chosen)
