"""The inbox and the demand page: filters, search, pipeline, roles, bulk actions."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tenant_apps.demands.enums import DemandStatus
from tenant_apps.demands.models import Demand, DemandEvent
from tests.conftest import client_for, logged_in_client
from tests.factories import DemandFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(town_a):
    return MembershipFactory(territory=town_a, role="agent", user__first_name="Inès").user


@pytest.fixture
def staff(town_a, agent):
    return logged_in_client(town_a, agent)


def references(response):
    return [demand.reference for demand in response.context["page_obj"]]


def test_the_inbox_searches_french_text_without_accents(town_a, in_town, staff):
    with in_town(town_a):
        DemandFactory(reference="TST-1", activity="Ébéniste d’art")
        DemandFactory(reference="TST-2", activity="Boulangerie", description="Pains spéciaux")
        DemandFactory(reference="TST-3", activity="Caviste", applicant__last_name="Étienne")
    assert references(staff.get("/gestion/?q=ebeniste")) == ["TST-1"]
    assert references(staff.get("/gestion/?q=pain")) == ["TST-2"]
    assert references(staff.get("/gestion/?q=etienne")) == ["TST-3"]
    assert references(staff.get("/gestion/?q=TST-3")) == ["TST-3"]


def test_the_inbox_shows_active_demands_and_counts_each_status(town_a, in_town, staff):
    with in_town(town_a):
        DemandFactory(reference="NEW-1")
        DemandFactory(reference="SEA-1", status=DemandStatus.SEARCHING)
        DemandFactory(reference="DOR-1", status=DemandStatus.DORMANT)
        DemandFactory(reference="INS-1", status=DemandStatus.INSTALLED)
    response = staff.get("/gestion/")
    assert sorted(references(response)) == ["NEW-1", "SEA-1"]
    counts = {tab["value"]: tab["count"] for tab in response.context["status_counts"]}
    assert (counts["active"], counts["all"], counts["dormant"], counts["installed"]) == (2, 4, 1, 1)
    assert references(staff.get("/gestion/?status=dormant")) == ["DOR-1"]


def test_filters_combine(town_a, in_town, staff, agent):
    with in_town(town_a):
        DemandFactory(
            reference="A",
            surface_min=30,
            surface_max=60,
            monthly_budget=900,
            activity_category="food",
            tags=["prioritaire"],
            assignee=agent,
        )
        DemandFactory(
            reference="B",
            surface_min=100,
            surface_max=200,
            monthly_budget=3000,
            activity_category="food",
        )
        DemandFactory(
            reference="C",
            surface_min=30,
            surface_max=60,
            activity_category="health",
            created_at=timezone.now() - timedelta(days=90),
        )
    assert references(staff.get("/gestion/?surface=50&category=food")) == ["A"]
    assert references(staff.get("/gestion/?budget=2000")) == ["B"]
    assert sorted(references(staff.get("/gestion/?age=30"))) == ["A", "B"]
    assert references(staff.get("/gestion/?assignee=me")) == ["A"]
    assert sorted(references(staff.get("/gestion/?assignee=none"))) == ["B", "C"]
    assert references(staff.get("/gestion/?tag=prioritaire")) == ["A"]


def test_bad_filters_get_a_message_not_an_error(staff):
    response = staff.get("/gestion/?surface=abc&age=-3&sort=nimportequoi&page=x&taille=7")
    assert response.status_code == 400
    assert "réponses sont à corriger" in response.text


def test_needs_action_lists_stale_new_demands_and_due_actions(town_a, in_town, staff):
    with in_town(town_a):
        DemandFactory(reference="STALE", created_at=timezone.now() - timedelta(days=10))
        DemandFactory(reference="FRESH")
        DemandFactory(
            reference="DUE", status=DemandStatus.SEARCHING, next_action_on=timezone.localdate()
        )
    assert sorted(references(staff.get("/gestion/?needs_action=on"))) == ["DUE", "STALE"]


def test_priority_sorts_mature_projects_in_priority_areas_first(town_a, in_town, staff):
    from tenant_apps.premises.models import Area

    with in_town(town_a):
        centre = Area.objects.create(name="Cœur de ville", is_priority=True)
        DemandFactory(reference="IDEA", stage="idea")
        mature = DemandFactory(reference="MATURE", stage="moving", applicant_seen_at=timezone.now())
        mature.areas.add(centre)
        Demand.objects.refresh_priority()
    response = staff.get("/gestion/?sort=priority")
    assert references(response)[0] == "MATURE"
    priorities = [demand.priority for demand in response.context["page_obj"]]
    assert priorities == sorted(priorities, reverse=True)


def test_the_inbox_runs_the_same_queries_whatever_the_page_size(town_a, in_town, staff):
    with in_town(town_a):
        for _ in range(120):
            DemandFactory()
    staff.get("/gestion/")  # warm-up: the town's settings row is created on first use
    counts = []
    for size in (25, 100):
        with CaptureQueriesContext(connection) as queries:
            assert staff.get(f"/gestion/?taille={size}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_staff_move_a_demand_along_the_pipeline_attributed_and_timed(town_a, in_town, staff, agent):
    with in_town(town_a):
        demand = DemandFactory(reference="PIPE-1")
    response = staff.post("/gestion/demandes/PIPE-1/statut/", {"status": "qualified"})
    assert response.status_code == 302
    with in_town(town_a):
        demand.refresh_from_db()
        assert demand.status == "qualified"
        assert demand.first_contact_at is not None
        event = DemandEvent.objects.get(demand=demand, kind="status_changed")
        assert (event.from_status, event.to_status, event.user_id) == ("new", "qualified", agent.pk)
    page = staff.get("/gestion/demandes/PIPE-1/")
    assert "Nouvelle → Qualifiée" in page.text


def test_forbidden_transitions_are_refused(town_a, in_town, staff):
    with in_town(town_a):
        DemandFactory(reference="PIPE-2")
    response = staff.post("/gestion/demandes/PIPE-2/statut/", {"status": "installed"})
    assert response.status_code == 400
    assert "Choisissez" in response.text or "valide" in response.text
    with in_town(town_a):
        assert Demand.objects.get(reference="PIPE-2").status == "new"


def test_notes_assignment_tags_and_next_action(town_a, in_town, staff, agent):
    with in_town(town_a):
        DemandFactory(reference="FOL-1")
    staff.post("/gestion/demandes/FOL-1/note/", {"text": "Appelée, rappeler lundi"})
    staff.post(
        "/gestion/demandes/FOL-1/suivi/",
        {
            "assignee": str(agent.pk),
            "tags": "Prioritaire, essai ,prioritaire",
            "next_action_on": "2030-01-15",
        },
    )
    with in_town(town_a):
        demand = Demand.objects.get(reference="FOL-1")
        assert demand.assignee == agent
        assert demand.tags == ["essai", "prioritaire"]
        assert str(demand.next_action_on) == "2030-01-15"
        kinds = list(demand.events.values_list("kind", flat=True))
    assert kinds == ["note", "assigned"]
    page = staff.get("/gestion/demandes/FOL-1/")
    assert "Appelée, rappeler lundi" in page.text


def test_an_empty_note_is_refused_in_french(town_a, in_town, staff):
    with in_town(town_a):
        DemandFactory(reference="NOTE-1")
    response = staff.post("/gestion/demandes/NOTE-1/note/", {"text": "  "})
    assert response.status_code == 400
    assert "Écrivez la note" in response.text


def test_read_only_staff_see_but_change_nothing_and_not_the_contact(town_a, in_town):
    with in_town(town_a):
        DemandFactory(reference="RO-1", applicant__email="secret@example.fr")
    reader = logged_in_client(town_a, MembershipFactory(territory=town_a, role="read_only").user)
    page = reader.get("/gestion/demandes/RO-1/")
    assert page.status_code == 200
    assert "secret@example.fr" not in page.text
    for path, data in [
        ("/gestion/demandes/RO-1/statut/", {"status": "qualified"}),
        ("/gestion/demandes/RO-1/note/", {"text": "x"}),
        ("/gestion/demandes/RO-1/suivi/", {"tags": "x"}),
        ("/gestion/demandes/actions-groupees/", {"action": "tag", "tag": "x", "scope": "filtered"}),
    ]:
        assert reader.post(path, data).status_code == 403
    with in_town(town_a):
        assert Demand.objects.get(reference="RO-1").status == "new"


def test_agents_see_the_contact(town_a, in_town, staff):
    with in_town(town_a):
        DemandFactory(reference="AG-1", applicant__email="visible@example.fr")
    assert "visible@example.fr" in staff.get("/gestion/demandes/AG-1/").text


BACKOFFICE_URLS = [
    ("get", "/gestion/"),
    ("get", "/gestion/demandes/{ref}/"),
    ("post", "/gestion/demandes/{ref}/statut/"),
    ("post", "/gestion/demandes/{ref}/note/"),
    ("post", "/gestion/demandes/{ref}/suivi/"),
    ("post", "/gestion/demandes/actions-groupees/"),
    ("post", "/gestion/demandes/{ref}/mise-en-relation/"),
    ("get", "/gestion/export/?format=csv"),
    ("get", "/gestion/exports/1/"),
    ("get", "/gestion/locaux/"),
    ("get", "/gestion/reglages/"),
    ("get", "/gestion/reglages/identite/"),
    ("get", "/gestion/reglages/quartiers/"),
    ("get", "/gestion/reglages/equipe/"),
]


@pytest.mark.parametrize(("method", "path"), BACKOFFICE_URLS)
def test_every_back_office_url_is_refused_to_another_towns_staff(
    town_a, town_b, in_town, method, path
):
    with in_town(town_b):
        demand = DemandFactory()
    outsider = client_for(town_b)
    admin_of_a = MembershipFactory(territory=town_a, role="admin").user
    outsider.post(
        "/compte/login/", {"login": admin_of_a.email, "password": "motdepasse-de-test-2026"}
    )
    url = path.format(ref=demand.reference)
    response = getattr(outsider, method)(url, {"status": "qualified", "text": "x"})
    assert response.status_code == 403
    anonymous = getattr(client_for(town_b), method)(url)
    assert anonymous.status_code == 302 and "/compte/login/" in anonymous["Location"]


def test_a_demand_of_town_b_is_not_found_from_town_a(town_a, town_b, in_town, staff):
    with in_town(town_b):
        other = DemandFactory(reference="ONLY-IN-B")
    assert staff.get(f"/gestion/demandes/{other.reference}/").status_code == 404


def test_a_bulk_action_applies_to_the_filtered_set(town_a, in_town, staff):
    with in_town(town_a):
        for index in range(3):
            DemandFactory(reference=f"FOOD-{index}", activity_category="food")
        DemandFactory(reference="HEALTH-1", activity_category="health")
    response = staff.post(
        "/gestion/demandes/actions-groupees/",
        {"action": "tag", "tag": "Alimentaire 2026", "scope": "filtered", "query": "category=food"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/gestion/?category=food"
    with in_town(town_a):
        tagged = set(
            Demand.objects.filter(tags__contains=["alimentaire 2026"]).values_list(
                "reference", flat=True
            )
        )
    assert tagged == {"FOOD-0", "FOOD-1", "FOOD-2"}


def test_a_bulk_status_change_skips_forbidden_transitions(town_a, in_town, staff):
    with in_town(town_a):
        new = DemandFactory(reference="B-NEW")
        installed = DemandFactory(reference="B-INS", status=DemandStatus.INSTALLED)
    response = staff.post(
        "/gestion/demandes/actions-groupees/",
        {
            "action": "status",
            "status": "qualified",
            "scope": "selected",
            "selected": [str(new.pk), str(installed.pk)],
        },
        follow=True,
    )
    assert "1 demande modifiée, 1 ignorée" in response.text
    with in_town(town_a):
        assert Demand.objects.get(reference="B-NEW").status == "qualified"
        assert Demand.objects.get(reference="B-INS").status == "installed"


@pytest.fixture
def partner(town_a, in_town):
    from shared_apps.partners.models import Partner
    from tenant_apps.network.models import NetworkMember

    partner = Partner.objects.create(
        name="Agence du Cours", kind="estate_agency", email="contact@agence-du-cours.example.fr"
    )
    with in_town(town_a):
        NetworkMember.objects.create(partner=partner, status="active")
    return partner


def test_introductions_offer_the_towns_own_partners_only(town_a, in_town, staff, partner):
    from shared_apps.partners.models import Partner

    Partner.objects.create(name="Agence d’ailleurs", kind="estate_agency", email="x@ailleurs.fr")
    with in_town(town_a):
        DemandFactory(reference="INTRO-0", consent_to_share=True)
    page = staff.get("/gestion/demandes/INTRO-0/")
    assert "Agence du Cours" in page.text and "Agence d’ailleurs" not in page.text


def test_an_introduction_emails_both_parties_and_is_logged(town_a, in_town, staff, partner):
    from tenant_apps.mailing.models import OutboundEmail

    with in_town(town_a):
        DemandFactory(
            reference="INTRO-1",
            consent_to_share=True,
            applicant__email="porteur@example.fr",
            applicant__phone="+33612345678",
        )
    response = staff.post(
        "/gestion/demandes/INTRO-1/mise-en-relation/",
        {"partner": partner.pk, "message": "Le local rue Droite lui irait bien."},
    )
    assert response.status_code == 302
    with in_town(town_a):
        emails = {e.to: e for e in OutboundEmail.objects.all()}
        demand = Demand.objects.get(reference="INTRO-1")
        assert demand.first_contact_at is not None
        assert demand.events.filter(kind="introduced", message="Agence du Cours").exists()
    to_partner = emails["contact@agence-du-cours.example.fr"]
    assert "porteur@example.fr" in to_partner.body and "rue Droite" in to_partner.body
    assert "contact@agence-du-cours.example.fr" in emails["porteur@example.fr"].body


def test_no_introduction_without_the_porteurs_consent(town_a, in_town, staff, partner):
    from tenant_apps.mailing.models import OutboundEmail

    with in_town(town_a):
        DemandFactory(reference="INTRO-2", consent_to_share=False)
    response = staff.post("/gestion/demandes/INTRO-2/mise-en-relation/", {"partner": partner.pk})
    assert response.status_code == 400
    assert "n’a pas accepté" in response.text
    with in_town(town_a):
        assert not OutboundEmail.objects.exists()


def test_cached_counts_follow_every_change(town_a, in_town, staff):
    with in_town(town_a):
        demand = DemandFactory(reference="CNT-1")
    first = {t["value"]: t["count"] for t in staff.get("/gestion/").context["status_counts"]}
    staff.post("/gestion/demandes/CNT-1/statut/", {"status": "qualified"})
    second = {t["value"]: t["count"] for t in staff.get("/gestion/").context["status_counts"]}
    assert (first["new"], first["qualified"]) == (1, 0)
    assert (second["new"], second["qualified"]) == (0, 1)
    from django.test import TestCase

    with in_town(town_a), TestCase.captureOnCommitCallbacks(execute=True):
        demand.delete()  # the counts are invalidated when the deletion commits
    assert staff.get("/gestion/").context["page_obj"].paginator.count == 0


def test_the_demand_page_lists_the_emails_sent(town_a, in_town, staff):
    from tenant_apps.mailing.models import OutboundEmail

    with in_town(town_a):
        demand = DemandFactory(reference="MAIL-1")
        OutboundEmail.objects.create(
            key=f"demand:{demand.pk}:event:1:porteur", to="p@example.fr", subject="Votre demande"
        )
    page = staff.get("/gestion/demandes/MAIL-1/")
    assert "Votre demande" in page.text and "en attente" in page.text
