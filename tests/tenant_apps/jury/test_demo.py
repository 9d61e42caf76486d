"""The demo's finished call: two jurors (a colleague and an outside banker) score every
application with a comment, the decision is recorded and the call is decided; run twice,
the same."""

import pytest

from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import Membership
from tenant_apps.calls.enums import CallStatus, Decision
from tenant_apps.jury.demo import score_and_decide
from tenant_apps.jury.models import Juror, Review
from tenant_apps.mailing.models import OutboundEmail
from tests.factories import MembershipFactory
from tests.tenant_apps.calls.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db


def test_the_demo_scores_and_decides_a_call_with_applications(town_a, in_town):
    developer = MembershipFactory(territory=town_a, role=Role.ADMIN).user
    with in_town(town_a):
        call = CallFactory(past=True)
        for name in ("Inès Martin", "Paul Girard", "Léa Roux"):
            ApplicationFactory(call=call, name=name)
        rows = score_and_decide(call, developer)
        score_and_decide(call, developer)
        call.refresh_from_db()
        seats = list(Juror.objects.filter(call=call))
        decisions = [row.application.decision for row in rows]
        assert Review.objects.submitted().count() == 6
        assert all(review.comment for review in Review.objects.all())
        assert OutboundEmail.objects.count() == 3
    assert call.status == CallStatus.DECIDED
    assert len(seats) == 2 and {seat.user for seat in seats} >= {developer}
    banker = next(seat.user for seat in seats if seat.user != developer)
    assert not Membership.objects.filter(user=banker).exists()
    assert [row.count for row in rows] == [2, 2, 2]
    assert [row.score for row in rows] == sorted((row.score for row in rows), reverse=True)
    assert decisions == [Decision.SELECTED, Decision.WAITING, Decision.DECLINED]
