"""The installed businesses' part of the demo: each installed demand has its business (a
fictitious SIRET, opened soon after the demand was installed, in a let premises when one
fits), some since closed; a town may also get the businesses of its first years (`earlier`
demands received 2 to 3 years ago, before the rest of the demo), so that survival at 12
and 24 months means something. Run inside a town's schema, with its own random draws (the
rest of the demo stays as it was)."""

import random
from datetime import timedelta

from django.utils import timezone

from shared_apps.referential.validators import luhn_valid
from tenant_apps.demands.enums import ActivityCategory, DemandStatus, EventKind, Stage
from tenant_apps.demands.models import Applicant, Demand, DemandEvent, ReferenceCounter
from tenant_apps.installations.enums import BusinessState
from tenant_apps.installations.models import Business
from tenant_apps.premises.enums import PremisesKind, PremisesState
from tenant_apps.premises.models import Premises

Cat, Kind = ActivityCategory, PremisesKind
# (activity, category, premises kind, NAF code, trade name) of the earlier businesses.
EARLIER = [
    ("Boulangerie artisanale", Cat.FOOD, Kind.MIXED, "10.71C", "Au Pain d’Antan"),
    ("Fromagerie", Cat.FOOD, Kind.SHOP, "47.29Z", "La Cloche à Fromage"),
    ("Fleuriste", Cat.HOME, Kind.SHOP, "47.76Z", "Les Jardins de Lou"),
    ("Bistrot de quartier", Cat.HORECA, Kind.RESTAURANT, "56.10A", "Le Petit Zinc"),
    ("Friperie", Cat.PERSONAL, Kind.SHOP, "47.79Z", "Seconde Vie"),
    ("Barbier", Cat.SERVICES, Kind.SHOP, "96.02A", "Barbier du Marché"),
    ("Librairie-café", Cat.CULTURE, Kind.SHOP, "47.61Z", "La Page Blanche"),
    ("Cordonnerie", Cat.SERVICES, Kind.SHOP, "95.23Z", "Talon Minute"),
    ("Épicerie vrac", Cat.FOOD, Kind.SHOP, "47.11B", "Le Bocal"),
    ("Ostéopathe", Cat.HEALTH, Kind.OFFICE, "86.90E", "Cabinet Ostéo Centre"),
    ("Atelier de couture", Cat.CRAFT, Kind.SHOP, "14.13Z", "Fil & Aiguille"),
    ("Caviste", Cat.FOOD, Kind.SHOP, "47.25Z", "Cave des Remparts"),
]  # fmt: skip
FIRST_NAMES = ["Camille", "Julien", "Nadia", "Thomas", "Élodie", "Karim", "Sophie", "Lucas"]
LAST_NAMES = ["Giraud", "Fabre", "Roux", "Blanc", "Arnaud", "Meyer", "Olivier", "Bonnet"]
CLOSED_SHARE = 0.25  # of the businesses opened at least a year ago


def fictitious_siret(rng):
    """14 digits passing the Luhn checksum, as the SIREN inside them does."""
    siren = "".join(str(rng.randint(0, 9)) for _ in range(8))
    siren += next(d for d in "0123456789" if luhn_valid(siren + d))
    nic = f"{rng.randint(1, 99):04d}"
    return siren + nic + next(d for d in "0123456789" if luhn_valid(siren + nic + d))


def earlier_demands(rng, count, prefix, now):
    """`count` demands received 2 to 3 years ago and installed a few months later."""
    demands = []
    for activity, category, kind, _, _ in EARLIER[:count]:
        created_at = now - timedelta(days=rng.randint(730, 1095), hours=rng.randint(0, 10))
        installed_at = created_at + timedelta(days=rng.randint(60, 220), hours=rng.randint(1, 8))
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        applicant = Applicant.objects.create(
            first_name=first_name,
            last_name=last_name,
            email=f"{last_name.lower()}.{len(demands)}@example.fr",
            created_at=created_at,
        )
        demand = Demand.objects.create(
            reference=ReferenceCounter.next_reference(prefix, created_at.year),
            applicant=applicant,
            activity=activity,
            activity_category=category,
            stage=Stage.CREATING,
            premises_kind=kind,
            surface_min=40,
            surface_max=90,
            status=DemandStatus.INSTALLED,
            created_at=created_at,
            status_changed_at=installed_at,
            first_contact_at=created_at + timedelta(hours=rng.randint(4, 120)),
            contact_search=applicant.search_text,
        )
        DemandEvent.objects.bulk_create(
            [
                DemandEvent(demand=demand, kind=EventKind.SUBMITTED, created_at=created_at),
                DemandEvent(
                    demand=demand,
                    kind=EventKind.STATUS_CHANGED,
                    actor="Démonstration",
                    from_status=DemandStatus.PREMISES_FOUND,
                    to_status=DemandStatus.INSTALLED,
                    visible_to_applicant=True,
                    created_at=installed_at,
                ),
            ]
        )
        demands.append(demand)
    return demands


def record_businesses(seed, *, prefix, earlier=0):
    """A business for each installed demand (after `earlier` older ones are added)."""
    rng = random.Random(seed + 15)
    now = timezone.now()
    today = timezone.localdate()
    earlier_demands(rng, earlier, prefix, now)
    trade_names = {activity: name for activity, _, _, _, name in EARLIER}
    naf_codes = {activity: naf for activity, _, _, naf, _ in EARLIER}
    let = list(Premises.objects.filter(state=PremisesState.LET).order_by("pk"))
    businesses, events = [], []
    demands = Demand.objects.filter(status=DemandStatus.INSTALLED).select_related("applicant")
    for demand in demands.order_by("created_at"):
        opened_on = min(
            timezone.localdate(demand.status_changed_at) + timedelta(days=rng.randint(0, 20)),
            today,
        )
        premises = next((p for p in let if p.kind == demand.premises_kind), None)
        if premises is not None:
            let.remove(premises)
        age = (today - opened_on).days
        closed_on = None
        if age > 365 and rng.random() < CLOSED_SHARE:
            closed_on = opened_on + timedelta(days=rng.randint(120, age - 30))
        name = trade_names.get(demand.activity) or f"{demand.activity} {demand.applicant.last_name}"
        business = Business(
            demand=demand,
            siret=fictitious_siret(rng),
            name=name,
            address=premises.address if premises else "",
            naf_code=naf_codes.get(demand.activity, ""),
            opened_on=opened_on,
            premises=premises,
            state=BusinessState.CLOSED if closed_on else BusinessState.ACTIVE,
            closed_on=closed_on,
            checked_at=now - timedelta(days=rng.randint(1, 25)),
            recorded_at=demand.status_changed_at,
        )
        businesses.append(business)
        events.append(
            DemandEvent(
                demand=demand,
                kind=EventKind.BUSINESS_RECORDED,
                message=f"{name}, SIRET {business.siret}, ouverte le {opened_on:%d/%m/%Y}",
                actor="Démonstration",
                visible_to_applicant=False,
                created_at=demand.status_changed_at,
            )
        )
    Business.objects.bulk_create(businesses)
    DemandEvent.objects.bulk_create(events)
    for business in businesses:
        business.demand.siret = business.demand.siret or business.siret
    Demand.objects.bulk_update([b.demand for b in businesses], ["siret"])
    return len(businesses)
