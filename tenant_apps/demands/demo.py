"""The duplicates' part of the demo: in each town, a porteur who already has an open demand
sends the same project again a few days later, from another address (what the inbox flags
« doublon probable » and the team merges). Run inside a town's schema, with its own random
draws (the rest of the demo stays as it was)."""

import random
from datetime import timedelta

from django.utils import timezone

from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import Applicant, Demand, DemandEvent, ReferenceCounter
from tenant_apps.premises.matching import refresh_for_demand

COPIED = [
    "activity",
    "naf_code",
    "activity_category",
    "description",
    "stage",
    "premises_kind",
    "surface_min",
    "monthly_budget",
    "consent_to_share",
]


def resubmit_one(seed):
    """One recent open demand sent again by its porteur (same name and phone, a
    professional address, a little more room); returns the new demand, or None."""
    rng = random.Random(seed + 11)
    recent = timezone.now() - timedelta(days=60)
    candidates = list(
        Demand.objects.open()
        .filter(created_at__gte=recent, created_at__lte=timezone.now() - timedelta(days=4))
        .exclude(applicant__phone="")
        .select_related("applicant")
        .order_by("created_at")
    )
    if not candidates:
        return None
    first = rng.choice(candidates)
    person = first.applicant
    created_at = first.created_at + timedelta(days=rng.randint(1, 3), hours=rng.randint(1, 5))
    applicant = Applicant.objects.create(
        first_name=person.first_name,
        last_name=person.last_name,
        email=f"contact@{person.last_name.lower()}-projet.example.com",
        phone=person.phone,
        created_at=created_at,
    )
    prefix = first.reference.split("-")[0]
    demand = Demand.objects.create(
        reference=ReferenceCounter.next_reference(prefix, created_at.year),
        applicant=applicant,
        created_at=created_at,
        status_changed_at=created_at,
        applicant_seen_at=created_at,
        contact_search=applicant.search_text,
        surface_max=first.surface_max + 20,
        **{name: getattr(first, name) for name in COPIED},
    )
    demand.areas.set(first.areas.all())
    DemandEvent.objects.create(demand=demand, kind=EventKind.SUBMITTED, created_at=created_at)
    demand.refresh_priority()
    refresh_for_demand(demand.pk)  # the demo's matches were computed before it
    demand.refresh_duplicate_flag()
    return demand
