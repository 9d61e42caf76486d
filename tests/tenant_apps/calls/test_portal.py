"""The partner managing a premises drafts a call for it in the partner portal; the town's
team reads it (« proposé par ») and publishes it. The partner offers only the premises it
manages, edits only its own drafts, and never another town's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenant_apps.calls.enums import CallStatus
from tenant_apps.calls.models import Call
from tests.conftest import logged_in_client
from tests.factories import (
    MembershipFactory,
    NetworkMemberFactory,
    PartnerMemberFactory,
    PremisesFactory,
)
from tests.tenant_apps.calls.factories import CallFactory
from tests.tenant_apps.calls.test_backoffice import posted

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(town_a, in_town):
    member = PartnerMemberFactory(partner__name="Agence du Centre")
    with in_town(town_a):
        NetworkMemberFactory(partner=member.partner)
    return member


@pytest.fixture
def managed(town_a, in_town, agency):
    with in_town(town_a):
        return PremisesFactory(
            address="8 rue de l’Agence", monthly_rent=900, managing_partner=agency.partner
        )


def test_the_managing_partner_drafts_a_call_the_team_publishes(town_a, in_town, agency, managed):
    with in_town(town_a):
        PremisesFactory(address="3 place de la Mairie", monthly_rent=900)
    client = logged_in_client(town_a, agency.user)
    assert "/partenaires/appels/" in client.get("/partenaires/locaux/").text
    form = client.get("/partenaires/appels/nouveau/").text
    assert "8 rue de l’Agence" in form and "3 place de la Mairie" not in form

    response = client.post("/partenaires/appels/nouveau/", posted(managed))
    assert response.status_code == 302 and response["Location"] == "/partenaires/appels/"
    with in_town(town_a):
        call = Call.objects.get()
    assert (call.status, call.proposed_by, call.created_by) == (
        CallStatus.DRAFT,
        agency.partner,
        agency.user,
    )
    assert "en attente de publication" in client.get("/partenaires/appels/").text

    staff = logged_in_client(town_a, MembershipFactory(territory=town_a, role="agent").user)
    assert "proposé par Agence du Centre" in staff.get(f"/gestion/appels/{call.pk}/").text
    staff.post(f"/gestion/appels/{call.pk}/publier/", {"confirmation": "oui"})
    with in_town(town_a):
        assert Call.objects.get().status == CallStatus.PUBLISHED
    # Published: the partner no longer edits it.
    assert client.get(f"/partenaires/appels/{call.pk}/modifier/").status_code == 404


def test_a_partner_cannot_draft_for_a_premises_it_does_not_manage(town_a, in_town, agency):
    with in_town(town_a):
        other = PremisesFactory(monthly_rent=900)
    response = logged_in_client(town_a, agency.user).post(
        "/partenaires/appels/nouveau/", posted(other, title="Mon appel, gardé")
    )
    assert response.status_code == 400
    assert "Mon appel, gardé" in response.text
    with in_town(town_a):
        assert not Call.objects.exists()


def test_a_mistake_in_the_rents_is_explained_and_nothing_typed_is_lost(
    town_a, in_town, agency, managed
):
    response = logged_in_client(town_a, agency.user).post(
        "/partenaires/appels/nouveau/",
        posted(managed, rent_schedule="300, 0, 600, 900", description="Gardée"),
    )
    assert response.status_code == 400
    assert "jamais gratuite" in response.text and "Gardée" in response.text


def test_a_partner_edits_only_its_own_drafts(town_a, town_b, in_town, agency, managed):
    with in_town(town_a):
        own = CallFactory(premises=managed, draft=True, proposed_by=agency.partner)
        towns = CallFactory(premises=managed, draft=True)
    with in_town(town_b):
        elsewhere = CallFactory(draft=True, proposed_by=agency.partner, pk=900_090)
    client = logged_in_client(town_a, agency.user)
    assert client.get(f"/partenaires/appels/{own.pk}/modifier/").status_code == 200
    assert client.get(f"/partenaires/appels/{towns.pk}/modifier/").status_code == 404
    assert client.get(f"/partenaires/appels/{elsewhere.pk}/modifier/").status_code == 404
    deadline = (timezone.localdate() + timedelta(days=9)).isoformat()
    client.post(
        f"/partenaires/appels/{own.pk}/modifier/",
        posted(managed, deadline_day=deadline, title="Nouveau titre"),
    )
    with in_town(town_a):
        assert Call.objects.get(pk=own.pk).title == "Nouveau titre"


def test_someone_outside_the_network_is_sent_to_the_portals_home(town_a, in_town):
    outsider = PartnerMemberFactory()
    assert (
        logged_in_client(town_a, outsider.user).get("/partenaires/appels/nouveau/")["Location"]
        == "/partenaires/"
    )
