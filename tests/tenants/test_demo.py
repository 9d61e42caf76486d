"""The demo: four towns with dozens of realistic demands and premises, loaded once."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from shared_apps.accounts.models import Membership, User
from shared_apps.national.models import TownStats
from shared_apps.national.tasks import roll_up_town
from shared_apps.partners.models import Partner
from tenants.demo import load_demo
from tenants.models import Territory

pytestmark = pytest.mark.django_db

SLUGS = ["draguignan", "bastia", "saint-lary-soulan", "vallauris-golfe-juan"]


def test_the_demo_loads_four_lively_towns_once(in_town):
    load_demo(stdout=io.StringIO())
    counts = (Territory.objects.count(), User.objects.count(), Partner.objects.count())

    load_demo(stdout=io.StringIO())

    assert (Territory.objects.count(), User.objects.count(), Partner.objects.count()) == counts
    assert Partner.objects.count() >= 20
    assert User.objects.get(email="anct@demo.boursoloco.fr").is_anct_staff
    lorgues = Territory.objects.get(slug="lorgues")
    assert not lorgues.is_verified and lorgues.claims.pending().count() == 1
    from tenant_apps.demands.models import Demand
    from tenant_apps.premises.models import Premises

    visits = 0
    for slug in SLUGS:
        town = Territory.objects.get(slug=slug)
        assert Membership.objects.filter(territory=town, role="admin").exists()
        with in_town(town):
            demands = Demand.objects.all()
            assert demands.count() >= 30
            assert Premises.objects.count() >= 20
            assert len(set(demands.values_list("status", flat=True))) >= 6
            oldest = demands.order_by("created_at").first().created_at
            assert oldest < timezone.now() - timedelta(days=300)
            assert all(d.surface_min <= d.surface_max for d in demands)
            from tenant_apps.network.models import Alert, NetworkMember

            assert NetworkMember.objects.filter(status="active").count() >= 3
            assert NetworkMember.objects.filter(status="requested").count() == 1
            assert Alert.objects.exclude(answer="").exists()
            from tenant_apps.proposals.models import Proposal

            proposals = Proposal.objects.all()
            assert proposals.declined().exclude(reason="").exists()
            # Nothing left for the daily email to send, nothing on a closed demand.
            assert not proposals.filter(emailed_at__isnull=True, origin="team").exists()
            assert not proposals.exclude(demand__status__in=["proposals", "visit", "searching"])
            # Demands at « Visite » were interested in a premises put to them or found.
            visits += proposals.filter(answer="interested", demand__status="visit").count()
    assert visits


def test_the_demo_has_no_activity_in_the_future_and_shows_why_demands_sleep(in_town):
    load_demo(stdout=io.StringIO())
    from tenant_apps.demands.enums import EventKind
    from tenant_apps.demands.models import Demand, DemandEvent
    from tenant_apps.network.models import Alert

    now = timezone.now()
    for slug in SLUGS:
        with in_town(Territory.objects.get(slug=slug)):
            assert not DemandEvent.objects.filter(created_at__gt=now).exists()
            for moment in ("created_at", "sent_at", "answered_at"):
                assert not Alert.objects.filter(**{f"{moment}__gt": now}).exists(), moment
            dormant = Demand.objects.filter(status="dormant")
            assert dormant.exists()
            for demand in dormant:
                kinds = list(demand.events.order_by("created_at").values_list("kind", flat=True))
                assert kinds.index(EventKind.ASKED_STILL_SEARCHING) < kinds.index(
                    EventKind.FELL_DORMANT
                ), kinds
            # The console's "last activity" is the town's latest event: not after now.
            roll_up_town()
    stats = TownStats.objects.filter(territory__slug__in=SLUGS)
    assert stats.count() == len(SLUGS)
    assert all(s.last_activity_at and s.last_activity_at <= now for s in stats)
