"""A town with a porteur's open demand, premises that suit it, its team and an agency
that manages premises there."""

import pytest

from tenant_apps.demands.models import Demand
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.proposals.models import Proposal
from tests.conftest import client_for, logged_in_client
from tests.factories import (
    DemandFactory,
    MembershipFactory,
    NetworkMemberFactory,
    PartnerMemberFactory,
    PremisesFactory,
)


@pytest.fixture
def agent(town_a):
    return MembershipFactory(territory=town_a, role="agent", user__first_name="Léa").user


@pytest.fixture
def staff(town_a, agent):
    return logged_in_client(town_a, agent)


@pytest.fixture
def demand(town_a, in_town):
    """A qualified demand for a shop of 40 to 90 m², 1 200 € a month; `demand.token` is
    its follow-up link's token."""
    with in_town(town_a):
        demand = DemandFactory(
            status="qualified",
            activity="Épicerie vrac",
            consent_to_share=True,
            applicant__first_name="Inès",
            applicant__last_name="Moreau",
            applicant__email="ines.moreau@example.fr",
        )
        demand.token = demand.followup_token()
    return demand


@pytest.fixture
def premises(town_a, in_town):
    """A published shop that suits `demand`."""
    with in_town(town_a):
        return PremisesFactory(
            address="12 rue des Arcades",
            is_published=True,
            owner_name="M. Propriétaire-Privé",
            description="Ancienne mercerie, vitrine sur rue.",
        )


@pytest.fixture
def agency(town_a, in_town):
    """An estate agency in town A's network, signed in on town A."""
    member = PartnerMemberFactory(partner__name="Agence du Beffroi")
    with in_town(town_a):
        NetworkMemberFactory(partner=member.partner)
    member.client = logged_in_client(town_a, member.user)
    return member


@pytest.fixture
def porteur(town_a):
    """The porteur's own browser (no account)."""
    return client_for(town_a)


@pytest.fixture
def reload(in_town):
    def fetch(town, obj):
        with in_town(town):
            return type(obj).objects.get(pk=obj.pk)

    return fetch


@pytest.fixture
def snapshot(in_town):
    """What a request may change in a town: proposals, demands and their timelines, emails."""

    def take(town):
        with in_town(town):
            return (
                list(Proposal.objects.values_list("pk", "answer", "reason", "comment")),
                list(Demand.objects.values_list("pk", "status")),
                list(Demand.objects.values_list("events__kind")),
                list(OutboundEmail.objects.values_list("key")),
            )

    return take
