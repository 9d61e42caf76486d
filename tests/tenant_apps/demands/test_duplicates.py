"""Likely duplicates: who is flagged and why, on submission and in the inbox."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import Demand
from tests.conftest import client_for, logged_in_client
from tests.factories import DemandFactory, MembershipFactory
from tests.jobs import run_jobs
from tests.tenant_apps.demands.helpers import CONTACT, submit_demand

pytestmark = pytest.mark.django_db

CAVE = "Cave des Côtes de Provence"


def duplicate(first_name="Nicolas", last_name="Garcia", email=None, phone="", activity=CAVE):
    return DemandFactory(
        activity=activity,
        applicant__first_name=first_name,
        applicant__last_name=last_name,
        applicant__phone=phone,
        **({"applicant__email": email} if email else {}),
    )


def reasons(demand):
    return {d.reference: d.duplicate_reasons for d in Demand.objects.likely_duplicates_of(demand)}


def test_the_same_email_in_another_case_is_a_likely_duplicate(town_a, in_town):
    with in_town(town_a):
        first = duplicate(email="nicolas.garcia@example.fr", activity="Fleuriste")
        second = duplicate(last_name="Autre", email="Nicolas.GARCIA@example.fr")
        assert reasons(second) == {first.reference: ["même courriel"]}
        assert reasons(first) == {second.reference: ["même courriel"]}


def test_the_same_phone_typed_two_ways_is_a_likely_duplicate(town_a, in_town):
    client = client_for(town_a)
    submit_demand(client)
    submit_demand(
        client,
        **{
            "/demande/": {"activity": "Pâtisserie fine"},
            "/demande/contact/": {
                "first_name": "Lou",
                "last_name": "Martin",
                "email": "lou.martin@example.com",
                "phone": "+33 (0)6.12.34.56.78",
            },
        },
    )
    with in_town(town_a):
        first, second = Demand.objects.order_by("created_at")
        assert second.applicant.phone == first.applicant.phone == "+33612345678"
        assert reasons(second) == {first.reference: ["même téléphone"]}


def test_a_close_name_for_a_close_activity_is_a_likely_duplicate(town_a, in_town):
    with in_town(town_a):
        first = duplicate("Jean", "Dupont", activity="Cave des Côtes de Provence")
        second = duplicate("Jean", "Dupond", activity="Cave à vins des Côtes de Provence")
        third = duplicate("jean", "DUPONT", activity="cave des cotes de provence")
        assert reasons(second) == {
            first.reference: ["nom et activité proches"],
            third.reference: ["nom et activité proches"],
        }


@pytest.mark.parametrize(
    ("name", "activity"),
    [
        (("Nicolas", "Garcia"), "Restaurant italien"),  # same porteur name, another project
        (("Élodie", "Girard"), CAVE),  # same activity, another porteur (the demo's pair)
        (("Magali", "Garcia"), CAVE),  # another first name of the same family
    ],
)
def test_what_only_looks_alike_is_not_flagged(town_a, in_town, name, activity):
    with in_town(town_a):
        duplicate("Nicolas", "Garcia", activity="Restaurant provençal")
        duplicate("Nicolas", "Garcia", activity=CAVE, phone="+33612345678")
        other = duplicate(*name, activity=activity, phone="+33798765432")
        assert reasons(other) == {}


def test_erased_and_merged_demands_are_not_duplicates(town_a, in_town):
    with in_town(town_a):
        erased = duplicate(email="porteur@example.fr")
        erased.erase()
        merged_into = DemandFactory(activity="Fleuriste")
        merged = duplicate(email="porteur@example.fr")
        Demand.all_objects.filter(pk=merged.pk).update(merged_into=merged_into)
        newcomer = duplicate(email="PORTEUR@example.fr")
        assert reasons(newcomer) == {}


def test_a_submission_flags_both_demands_and_tells_the_team_not_the_porteur(town_a, in_town):
    MembershipFactory(territory=town_a, role="agent", user__email="agent@ville-a.example.fr")
    with in_town(town_a):
        older = duplicate(
            CONTACT["first_name"], CONTACT["last_name"], activity="Boulangerie", phone=""
        )
        older.created_at = timezone.now() - timedelta(days=20)
        older.save()
    submit_demand(client_for(town_a))
    run_jobs()
    with in_town(town_a):
        older.refresh_from_db()
        newer = Demand.objects.exclude(pk=older.pk).get()
        assert older.has_likely_duplicates and newer.has_likely_duplicates
        note = newer.events.get(kind=EventKind.NOTE)
        assert older.reference in note.message and "nom et activité proches" in note.message
        assert not note.visible_to_applicant
    by_recipient = {message.to[0]: message for message in mail.outbox}
    team = by_recipient["agent@ville-a.example.fr"]
    assert "Doublon probable" in team.body and older.reference in team.body
    porteur = by_recipient[CONTACT["email"]]
    assert older.reference not in porteur.body and "oublon" not in porteur.body
    followup = client_for(town_a).get(newer.followup_path())
    assert older.reference not in followup.text and "oublon" not in followup.text


def test_a_resubmission_within_a_day_still_updates_the_first_demand(town_a, in_town):
    client = client_for(town_a)
    submit_demand(client)
    submit_demand(client, **{"/demande/local/": {"surface_max": "150"}})
    run_jobs()
    with in_town(town_a):
        demand = Demand.objects.get()
        assert demand.surface_max == 150
        assert not demand.has_likely_duplicates


def test_a_porteur_of_town_b_is_no_duplicate_in_town_a(town_a, town_b, in_town):
    with in_town(town_b):
        in_b = duplicate(email="porteur@example.fr", phone="+33612345678")
    with in_town(town_a):
        in_a = duplicate(email="porteur@example.fr", phone="+33612345678")
        assert reasons(in_a) == {}
        assert in_a.refresh_duplicate_flag() == []
    with in_town(town_b):
        assert reasons(in_b) == {}


def test_the_inbox_badges_likely_duplicates_without_a_query_per_row(town_a, in_town):
    staff = logged_in_client(town_a, MembershipFactory(territory=town_a, role="agent").user)
    with in_town(town_a):
        for _ in range(30):
            DemandFactory()
    staff.get("/gestion/")  # warm-up: the town's settings row is created on first use

    def inbox_queries():
        with CaptureQueriesContext(connection) as queries:
            response = staff.get("/gestion/?taille=25")
        assert response.status_code == 200
        return response, len(queries)

    inbox_queries()
    response, without = inbox_queries()
    assert "Doublon probable" not in response.text
    with in_town(town_a):
        for index in range(12):
            duplicate(email=f"double{index}@example.fr")
            duplicate(email=f"DOUBLE{index}@example.fr").refresh_duplicate_flag()
        assert Demand.objects.filter(has_likely_duplicates=True).count() == 24
    inbox_queries()  # the counts, cached until a demand changes, computed again once
    response, with_badges = inbox_queries()
    assert response.text.count("Doublon probable") == 24
    assert with_badges == without <= 12
