"""A town's team (two agents, an admin, a read-only member), a demand followed by one of
them, and helpers to read a person's notifications and the town's outbox."""

import pytest

from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.notifications.models import Notification
from tests.conftest import logged_in_client
from tests.factories import DemandFactory, MembershipFactory


@pytest.fixture
def agent(town_a):
    return MembershipFactory(territory=town_a, role="agent", user__first_name="Léa").user


@pytest.fixture
def colleague(town_a):
    return MembershipFactory(territory=town_a, role="agent", user__first_name="Marc").user


@pytest.fixture
def admin(town_a):
    return MembershipFactory(territory=town_a, role="admin", user__first_name="Nora").user


@pytest.fixture
def reader(town_a):
    return MembershipFactory(territory=town_a, role="read_only").user


@pytest.fixture
def team(agent, colleague, admin, reader):
    return {"agent": agent, "colleague": colleague, "admin": admin, "reader": reader}


@pytest.fixture
def demand(town_a, in_town, team):
    """A qualified demand followed by the agent; `demand.token` opens its follow-up page."""
    with in_town(town_a):
        demand = DemandFactory(
            status="qualified",
            activity="Épicerie vrac",
            consent_to_share=True,
            assignee=team["agent"],
            applicant__first_name="Inès",
            applicant__last_name="Moreau",
        )
        demand.token = demand.followup_token()
    return demand


@pytest.fixture
def inbox(in_town):
    """`inbox(town, user)`: the person's notifications in that town, as (kind, text)."""

    def read(town, user):
        with in_town(town):
            return list(
                Notification.objects.for_user(user).order_by("id").values_list("kind", "text")
            )

    return read


@pytest.fixture
def outbox(in_town):
    """`outbox(town)`: the town's emails, as {recipient: [subjects]}."""

    def read(town):
        emails = {}
        with in_town(town):
            for email in OutboundEmail.objects.order_by("id"):
                emails.setdefault(email.to, []).append(email.subject)
        return emails

    return read


@pytest.fixture
def staff(town_a, agent):
    return logged_in_client(town_a, agent)
