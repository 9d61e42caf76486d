"""Calls in the back-office: editors create a draft with its conditions and grid, checked
on the server in French (never free, never decreasing, never above the market rent;
weights summing to 100), publish it after a confirmation, and cannot change its
conditions once published; read-only staff only read; another town's call is not there."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shared_apps.accounts.enums import Role
from tenant_apps.calls.enums import CallStatus
from tenant_apps.calls.models import Call
from tests.conftest import logged_in_client
from tests.factories import MembershipFactory, NetworkMemberFactory, PartnerFactory, PremisesFactory
from tests.tenant_apps.calls.factories import CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(town_a):
    return MembershipFactory(territory=town_a, role=Role.AGENT).user


@pytest.fixture
def premises(town_a, in_town):
    with in_town(town_a):
        return PremisesFactory(address="12 rue de l’Essai", monthly_rent=900)


def posted(premises, **changes):
    next_week = timezone.localdate() + timedelta(days=7)
    data = {
        "premises": premises.pk,
        "title": "Boutique à l’essai de la rue de l’Essai",
        "kind": "trial",
        "description": "Un local prêt à l’emploi.",
        "trial_months": "4",
        "market_rent": "900",
        "rent_schedule": "300, 450 €, 600; 900",
        "lease_kind": "trial_shop",
        "support_partner": "",
        "commitments": "Ouvrir 5 jours sur 7.",
        "deadline_day": next_week.isoformat(),
        "deadline_time": "12:00",
        "critere-TOTAL_FORMS": "3",
        "critere-INITIAL_FORMS": "0",
        "critere-0-name": "Faisabilité",
        "critere-0-weight": "60",
        "critere-1-name": "Motivation",
        "critere-1-weight": "40",
        "critere-2-name": "",
        "critere-2-weight": "",
    }
    data.update(changes)
    return data


def test_an_agent_creates_a_draft_with_its_grid(town_a, in_town, agent, premises):
    partner = PartnerFactory(name="Initiative Dracénie", kind="support_network")
    with in_town(town_a):
        NetworkMemberFactory(partner=partner)
    client = logged_in_client(town_a, agent)
    page = client.get("/gestion/appels/nouveau/").content.decode()
    assert "12 rue de l’Essai" in page and "Initiative Dracénie" in page
    assert 'href="/gestion/appels/"' in client.get("/gestion/").content.decode()

    response = client.post("/gestion/appels/nouveau/", posted(premises, support_partner=partner.pk))
    with in_town(town_a):
        call = Call.objects.get()
        grid = [(c.name, c.weight) for c in call.criteria.all()]
    assert response.status_code == 302
    assert response["Location"] == f"/gestion/appels/{call.pk}/"
    assert call.status == CallStatus.DRAFT
    assert call.rent_schedule == [300, 450, 600, 900]
    assert call.support_partner == partner
    assert call.created_by == agent
    assert timezone.localtime(call.deadline).strftime("%H:%M") == "12:00"
    assert grid == [("Faisabilité", 60), ("Motivation", 40)]
    page = client.get(f"/gestion/appels/{call.pk}/").content.decode()
    assert 'data-label="Loyer">450 €' in page
    assert "Brouillon" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rent_schedule": "300, 0, 600, 900"}, "n’est jamais gratuite : le mois 2 est à 0 €"),
        ({"rent_schedule": "300, 600, 450, 900"}, "le mois 3 (450 €) est en dessous du mois 2"),
        ({"rent_schedule": "300, 450, 600, 1000"}, "Le mois 4 (1000 €) dépasse le loyer de marché"),
        ({"rent_schedule": "300, 450, 600"}, "un loyer par mois d’essai : 4 mois, 3 montants"),
        ({"rent_schedule": "300, trois cents"}, "« trois cents » n’est pas un montant en euros"),
        ({"critere-1-weight": "30"}, "ils font 90 % ici"),
        ({"critere-0-name": "", "critere-0-weight": "", "critere-1-name": ""}, "Nommez ce critère"),
        (
            {
                "critere-0-name": "",
                "critere-0-weight": "",
                "critere-1-name": "",
                "critere-1-weight": "",
            },
            "Indiquez au moins un critère de sélection",
        ),
        ({"critere-1-name": "faisabilité"}, "Deux critères portent le même nom"),
        ({"kind": "pop_up"}, "Une boutique éphémère a une date d’ouverture"),
        ({"kind": "shared", "places": "1"}, "au moins 2 commerçants"),
        ({"deadline_day": "2020-01-01"}, "La date limite doit être à venir"),
        ({"market_rent": "0"}, "supérieure ou égale à 1"),
    ],
)
def test_wrong_conditions_come_back_in_french_with_what_was_typed(
    town_a, in_town, agent, premises, changes, message
):
    client = logged_in_client(town_a, agent)
    response = client.post("/gestion/appels/nouveau/", posted(premises, **changes))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "Boutique à l’essai de la rue de l’Essai" in page  # nothing typed is lost
    assert "Ouvrir 5 jours sur 7." in page
    with in_town(town_a):
        assert not Call.objects.exists()


def test_a_pop_up_keeps_its_dates_and_a_shared_shop_its_places(town_a, in_town, agent, premises):
    client = logged_in_client(town_a, agent)
    start = timezone.localdate() + timedelta(days=40)
    client.post(
        "/gestion/appels/nouveau/",
        posted(
            premises,
            kind="pop_up",
            starts_on=start.isoformat(),
            ends_on=(start + timedelta(days=30)).isoformat(),
            places="4",
        ),
    )
    client.post("/gestion/appels/nouveau/", posted(premises, kind="shared", places="3"))
    with in_town(town_a):
        pop_up, shared = Call.objects.order_by("pk")
    assert (pop_up.starts_on, pop_up.places) == (start, None)
    assert (shared.places, shared.starts_on) == (3, None)


def test_publishing_asks_first_then_publishes(town_a, in_town, agent):
    with in_town(town_a):
        call = CallFactory(draft=True)
    client = logged_in_client(town_a, agent)
    url = f"/gestion/appels/{call.pk}/publier/"
    assert client.get(url).status_code == 405
    page = client.post(url).content.decode()
    assert 'name="confirmation" value="oui"' in page
    with in_town(town_a):
        call.refresh_from_db()
    assert call.status == CallStatus.DRAFT
    response = client.post(url, {"confirmation": "oui"})
    assert response.status_code == 302
    with in_town(town_a):
        call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED and call.published_at is not None


def test_a_draft_past_its_deadline_is_not_published(town_a, in_town, agent):
    with in_town(town_a):
        call = CallFactory(draft=True, past=True)
    client = logged_in_client(town_a, agent)
    response = client.post(
        f"/gestion/appels/{call.pk}/publier/", {"confirmation": "oui"}, follow=True
    )
    assert "La date limite de candidature est passée" in response.content.decode()
    with in_town(town_a):
        call.refresh_from_db()
    assert call.status == CallStatus.DRAFT


def test_a_published_call_keeps_its_conditions_and_grid(town_a, in_town, agent, premises):
    with in_town(town_a):
        call = CallFactory()
    client = logged_in_client(town_a, agent)
    later = timezone.localdate() + timedelta(days=60)
    response = client.post(
        f"/gestion/appels/{call.pk}/modifier/",
        posted(
            premises,
            title="Nouveau titre",
            deadline_day=later.isoformat(),
            rent_schedule="1, 1, 1, 1",
            market_rent="5",
            kind="shared",
            places="5",
            **{"critere-0-weight": "100", "critere-1-name": ""},
        ),
    )
    assert response.status_code == 302
    with in_town(town_a):
        call.refresh_from_db()
        grid = [(c.name, c.weight) for c in call.criteria.all()]
    assert call.title == "Nouveau titre"
    assert timezone.localdate(call.deadline) == later
    assert call.rent_schedule == [300, 300, 500, 500, 800, 800]
    assert (call.market_rent, call.kind, call.places) == (800, "trial", None)
    assert call.premises_id != premises.pk
    assert grid == [("Faisabilité", 50), ("Motivation", 50)]


def test_editing_a_draft_replaces_its_grid(town_a, in_town, agent, premises):
    with in_town(town_a):
        call = CallFactory(draft=True, premises=premises)
    client = logged_in_client(town_a, agent)
    form = client.get(f"/gestion/appels/{call.pk}/modifier/").content.decode()
    assert 'value="300, 300, 500, 500, 800, 800"' in form
    response = client.post(
        f"/gestion/appels/{call.pk}/modifier/",
        posted(
            premises,
            **{
                "critere-2-name": "Savoir-faire",
                "critere-0-weight": "40",
                "critere-2-weight": "20",
            },
        ),
    )
    assert response.status_code == 302
    with in_town(town_a):
        grid = [(c.name, c.weight) for c in call.criteria.all()]
    assert grid == [("Faisabilité", 40), ("Motivation", 40), ("Savoir-faire", 20)]


def test_read_only_staff_read_but_never_create_edit_or_publish(town_a, in_town, premises):
    reader = MembershipFactory(territory=town_a, role=Role.READ_ONLY).user
    with in_town(town_a):
        call = CallFactory(draft=True, title="Appel en préparation")
    client = logged_in_client(town_a, reader)
    assert "Appel en préparation" in client.get("/gestion/appels/").content.decode()
    page = client.get(f"/gestion/appels/{call.pk}/").content.decode()
    assert "Publier l’appel" not in page
    assert client.get("/gestion/appels/nouveau/").status_code == 403
    assert client.post("/gestion/appels/nouveau/", posted(premises)).status_code == 403
    assert client.post(f"/gestion/appels/{call.pk}/modifier/", posted(premises)).status_code == 403
    response = client.post(f"/gestion/appels/{call.pk}/publier/", {"confirmation": "oui"})
    assert response.status_code == 403
    with in_town(town_a):
        call.refresh_from_db()
        assert Call.objects.count() == 1
    assert call.status == CallStatus.DRAFT


def test_another_towns_call_is_not_there(town_a, town_b, in_town, agent):
    with in_town(town_b):
        call = CallFactory(draft=True, title="Appel secret de B", pk=900_101)
    with in_town(town_a):
        CallFactory(title="Appel de A")
    client = logged_in_client(town_a, agent)
    listing = client.get("/gestion/appels/").content.decode()
    assert "Appel de A" in listing and "Appel secret de B" not in listing
    for url in (f"/gestion/appels/{call.pk}/", f"/gestion/appels/{call.pk}/modifier/"):
        assert client.get(url).status_code == 404
    assert (
        client.post(f"/gestion/appels/{call.pk}/publier/", {"confirmation": "oui"}).status_code
        == 404
    )
    with in_town(town_b):
        call.refresh_from_db()
    assert call.status == CallStatus.DRAFT
    # B's own staff are not A's: A's agent has no right on B's back-office at all.
    assert logged_in_client(town_b, agent).get("/gestion/appels/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(town_a, in_town):
    from tests.conftest import client_for

    with in_town(town_a):
        call = CallFactory(draft=True)
    response = client_for(town_a).get(f"/gestion/appels/{call.pk}/")
    assert response.status_code == 302 and "/compte/login/" in response["Location"]
