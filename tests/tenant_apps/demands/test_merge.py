"""Merging a duplicate: everything under the older reference, the newer one a tombstone
whose reference and follow-up link lead to the merged demand."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from tenant_apps.applicant_alerts.models import Subscription
from tenant_apps.demands.enums import DemandStatus, EventKind
from tenant_apps.demands.merge import MergeRefused, merge
from tenant_apps.demands.models import Demand, Introduction, Reminder
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.network.models import Alert
from tenant_apps.premises.matching import recompute_all
from tenant_apps.proposals.models import Proposal
from tests.conftest import client_for, logged_in_client
from tests.factories import (
    AreaFactory,
    DemandFactory,
    MembershipFactory,
    PartnerFactory,
    PremisesFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(town_a):
    return MembershipFactory(territory=town_a, role="agent", user__first_name="Inès").user


@pytest.fixture
def staff(town_a, agent):
    return logged_in_client(town_a, agent)


@pytest.fixture
def pair(town_a, in_town):
    """The same porteur's project twice: OLD (20 days ago) and NEW (today)."""
    with in_town(town_a):
        older = DemandFactory(
            reference="OLD-1",
            activity="Cave des Côtes de Provence",
            applicant__first_name="Nicolas",
            applicant__last_name="Garcia",
            applicant__email="nicolas.garcia@example.fr",
            applicant__phone="+33612345678",
            created_at=timezone.now() - timedelta(days=20),
            tags=["vin"],
            description="Caveau collectif.",
        )
        newer = DemandFactory(
            reference="NEW-1",
            activity="Cave à vins des Côtes de Provence",
            applicant__first_name="Nicolas",
            applicant__last_name="Garcia",
            applicant__email="n.garcia@domaine.example.com",
            applicant__phone="+33612345678",
            tags=["vin", "urgent"],
            siret="73282932000074",
            description="Six domaines.",
            next_action_on=timezone.localdate() + timedelta(days=3),
        )
        older.record(EventKind.SUBMITTED)
        newer.record(EventKind.SUBMITTED)
        older.refresh_duplicate_flag()
    return older, newer


def merge_url(demand, other):
    return f"/gestion/demandes/{demand.reference}/fusion/{other.reference}/"


def reload(town, in_town, demand):
    with in_town(town):
        return Demand.all_objects.select_related("applicant").get(pk=demand.pk)


def test_the_demand_page_lists_likely_duplicates_with_why_and_a_merge_link(town_a, pair, staff):
    older, newer = pair
    page = staff.get(f"/gestion/demandes/{newer.reference}/").text
    assert "Doublons probables" in page
    assert "même téléphone, nom et activité proches" in page
    assert f'href="{merge_url(newer, older)}"' in page


def test_merging_moves_everything_under_the_older_reference(town_a, in_town, pair, staff, agent):
    older, newer = pair
    with in_town(town_a):
        centre, port = AreaFactory(name="Centre"), AreaFactory(name="Port")
        older.areas.add(centre)
        newer.areas.add(centre, port)
        premises = PremisesFactory()
        Proposal.objects.create(demand=newer, premises=premises, origin="team")
        Alert.objects.create(demand=newer, partner=PartnerFactory(), frequency="immediate")
        Introduction.objects.create(demand=newer, partner=PartnerFactory(), created_by=agent)
        Reminder.objects.create(demand=newer, kind="ask", cycle="1")
        Subscription.objects.create(demand=newer)
        newer.add_note(agent, "Appelé le porteur")
        OutboundEmail.objects.create(
            key=f"demand:{newer.pk}:new:{agent.pk}", to="a@example.fr", subject="Nouvelle"
        )
        OutboundEmail.objects.create(
            key=f"demand:{older.pk}:new:{agent.pk}", to="a@example.fr", subject="Ancienne"
        )

    confirm = staff.get(merge_url(newer, older))
    assert confirm.status_code == 200
    assert "Fusionner NEW-1 dans OLD-1 ?" in confirm.text
    assert "ne peut pas être annulée" in confirm.text
    response = staff.post(merge_url(newer, older), {"confirmation": "oui"})
    assert response.status_code == 302 and response["Location"] == "/gestion/demandes/OLD-1/"

    with in_town(town_a):
        tombstone = Demand.all_objects.get(pk=newer.pk)
        assert tombstone.merged_into_id == older.pk and tombstone.merged_at
        assert not Demand.objects.filter(pk=newer.pk).exists()
        assert Proposal.objects.get().demand_id == older.pk
        assert Alert.objects.get().demand_id == older.pk
        assert Introduction.objects.get().demand_id == older.pk
        assert Reminder.objects.get().demand_id == older.pk
        assert Subscription.objects.get().demand_id == older.pk
        merged = Demand.objects.get(pk=older.pk)
        assert sorted(area.name for area in merged.areas.all()) == ["Centre", "Port"]
        assert merged.tags == ["vin", "urgent"]
        assert merged.siret == "73282932000074"
        assert merged.description == "Caveau collectif.\n\nSix domaines."
        assert merged.next_action_on == newer.next_action_on
        # Both histories, in time order, and the merge on both demands.
        kinds = [event.kind for event in merged.events.all()]
        assert kinds == ["submitted", "submitted", "note", "merged"]
        times = [event.created_at for event in merged.events.all()]
        assert times == sorted(times)
        assert tombstone.events.get().kind == EventKind.MERGED
        keys = set(OutboundEmail.objects.values_list("key", flat=True))
        assert keys == {
            f"demand:{older.pk}:new:{agent.pk}",
            f"demand:{older.pk}:fusion-{newer.pk}:new:{agent.pk}",
        }
    page = staff.get("/gestion/demandes/OLD-1/").text
    assert "Nouvelle" in page and "Ancienne" in page  # both demands' emails
    assert "Demandes fusionnées dans celle-ci" in page and "n.garcia@domaine.example.com" in page
    assert "Aucune autre demande ne semble" in page


def test_rows_both_demands_have_keep_the_older_ones_and_the_history_says_so(
    town_a, in_town, pair, staff
):
    older, newer = pair
    with in_town(town_a):
        premises = PremisesFactory(address="3 place du Marché")
        partner = PartnerFactory(name="Agence du Beffroi")
        Proposal.objects.create(demand=older, premises=premises, origin="team", answer="declined")
        Proposal.objects.create(demand=newer, premises=premises, origin="team")
        Alert.objects.create(demand=older, partner=partner, frequency="daily", answer="maybe")
        Alert.objects.create(demand=newer, partner=partner, frequency="daily")
        Subscription.objects.create(demand=older, is_active=False)
        Subscription.objects.create(demand=newer)
    staff.post(merge_url(older, newer), {"confirmation": "oui"})
    with in_town(town_a):
        assert Proposal.objects.get().answer == "declined"
        assert Alert.objects.get().answer == "maybe"
        assert Subscription.objects.get().is_active is False
        event = Demand.objects.get(pk=older.pk).events.get(kind=EventKind.MERGED)
    assert "conservés tels quels" in event.message
    assert "3 place du Marché" in event.message and "Agence du Beffroi" in event.message


@pytest.fixture
def dummy_model(town_a, in_town):
    """A table another app could add tomorrow, with its own foreign key to Demand and a
    unique constraint: the merge knows nothing of it."""

    class Memo(models.Model):
        demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="memos")
        label = models.CharField(max_length=20)

        class Meta:
            app_label = "demands"
            verbose_name_plural = "mémos"
            constraints = [
                models.UniqueConstraint(fields=["demand", "label"], name="one_memo_label")
            ]

        def __str__(self):
            return self.label

    with in_town(town_a), connection.schema_editor() as editor:
        editor.create_model(Memo)
    yield Memo
    del apps.all_models["demands"]["memo"]
    apps.clear_cache()


def test_any_table_pointing_to_a_demand_follows_the_merge(town_a, in_town, pair, dummy_model):
    older, newer = pair
    with in_town(town_a):
        dummy_model.objects.create(demand=older, label="commun")
        dummy_model.objects.create(demand=newer, label="commun")
        dummy_model.objects.create(demand=newer, label="à part")
        report = merge(newer, older, by=None)
        rows = sorted(dummy_model.objects.values_list("demand_id", "label"))
    assert rows == [(older.pk, "commun"), (older.pk, "à part")]
    assert report.moved["mémos"] == 1
    assert "« commun »" in report.summary()


def test_the_merged_reference_and_follow_up_link_lead_to_the_merged_demand(
    town_a, in_town, pair, staff
):
    older, newer = pair
    with in_town(town_a):
        token, merged_token = newer.followup_token(), older.followup_token()
    staff.post(merge_url(newer, older), {"confirmation": "oui"})

    response = staff.get("/gestion/demandes/NEW-1/")
    assert response.status_code == 302 and response["Location"] == "/gestion/demandes/OLD-1/"
    porteur = client_for(town_a)
    response = porteur.get(f"/suivi/{token}/")
    assert response.status_code == 302
    page = porteur.get(response["Location"])
    assert page.status_code == 200
    assert "Suivi de la demande OLD-1" in page.text
    assert "réunie à la demande OLD-1" in page.text
    still = porteur.get(f"/suivi/{token}/toujours/")
    assert (
        still["Location"].endswith("/toujours/") and merged_token.split(":")[0] in still["Location"]
    )
    # Gone from the inbox, its counts and exports; its reference finds the merged demand.
    inbox = staff.get("/gestion/?status=all")
    assert [d.reference for d in inbox.context["page_obj"]] == ["OLD-1"]
    assert {t["value"]: t["count"] for t in inbox.context["status_counts"]}["all"] == 1
    found = staff.get("/gestion/?status=all&q=NEW-1")
    assert [d.reference for d in found.context["page_obj"]] == ["OLD-1"]
    with in_town(town_a):
        PremisesFactory()
        recompute_all()
        assert not Demand.all_objects.get(pk=newer.pk).matches.exists()
        assert Demand.objects.get(pk=older.pk).matches.exists()


def test_the_merged_demand_reopens_when_only_the_newer_was_still_alive(town_a, in_town, pair):
    older, newer = pair
    with in_town(town_a):
        Demand.objects.filter(pk=older.pk).update(status=DemandStatus.ABANDONED)
        Demand.objects.filter(pk=newer.pk).update(status=DemandStatus.SEARCHING)
        merge(older, newer, by=None)
        assert Demand.objects.get(pk=older.pk).status == DemandStatus.SEARCHING


def test_erasing_the_merged_demand_erases_the_merged_one_too(town_a, in_town, pair):
    older, newer = pair
    with in_town(town_a):
        merge(older, newer, by=None)
        Demand.objects.get(pk=older.pk).erase()
        tombstone = Demand.all_objects.select_related("applicant").get(pk=newer.pk)
        assert tombstone.erased_at and tombstone.applicant.email.endswith("anonyme.invalid")


def test_a_new_link_asked_with_the_merged_demands_address_gives_the_merged_demand(
    town_a, in_town, pair
):
    older, newer = pair
    with in_town(town_a):
        merge(older, newer, by=None)
    client_for(town_a).post("/suivi/nouveau-lien/", {"email": "N.Garcia@domaine.example.com"})
    with in_town(town_a):
        email = OutboundEmail.objects.get(key__endswith=":link")
    assert email.to == "n.garcia@domaine.example.com"
    assert email.key.startswith(f"demand:{older.pk}:")


def test_the_confirmation_page_changes_nothing_nor_a_post_without_the_button(
    town_a, in_town, pair, staff
):
    older, newer = pair

    def state():
        with in_town(town_a):
            return list(
                Demand.all_objects.order_by("pk").values_list(
                    "pk", "merged_into", "tags", "updated_at"
                )
            ), list(Demand.all_objects.values_list("events__pk", flat=True))

    before = state()
    assert staff.get(merge_url(newer, older)).status_code == 200
    assert staff.post(merge_url(newer, older)).status_code == 200  # the confirmation again
    assert staff.post(merge_url(newer, older), {"confirmation": "non"}).status_code == 200
    assert state() == before


def test_read_only_staff_cannot_merge(town_a, in_town, pair):
    older, newer = pair
    reader = logged_in_client(town_a, MembershipFactory(territory=town_a, role="read_only").user)
    assert reader.get(merge_url(newer, older)).status_code == 403
    assert reader.post(merge_url(newer, older), {"confirmation": "oui"}).status_code == 403
    page = reader.get(f"/gestion/demandes/{newer.reference}/").text
    assert "même téléphone" in page and "/fusion/" not in page
    with in_town(town_a):
        assert Demand.objects.count() == 2


def test_merging_with_itself_or_twice_is_refused_with_a_message(town_a, in_town, pair, staff):
    older, newer = pair
    response = staff.post(merge_url(older, older), {"confirmation": "oui"}, follow=True)
    assert "ne peut pas être fusionnée avec elle-même" in response.text
    staff.post(merge_url(older, newer), {"confirmation": "oui"})
    # NEW-1 now leads to OLD-1: the same link again asks to merge OLD-1 with itself.
    response = staff.post(merge_url(older, newer), {"confirmation": "oui"}, follow=True)
    assert "ne peut pas être fusionnée avec elle-même" in response.text
    with in_town(town_a):
        with pytest.raises(MergeRefused, match="NEW-1 a déjà été fusionnée"):
            merge(DemandFactory(), newer, by=None)
        assert Demand.objects.get(pk=older.pk).events.filter(kind="merged").count() == 1


def test_a_demand_of_another_town_cannot_be_merged(town_a, town_b, in_town, pair, staff):
    older, _ = pair
    with in_town(town_b):
        other = DemandFactory(reference="BBB-2026-00001")
        other.record(EventKind.SUBMITTED)
    response = staff.post(
        f"/gestion/demandes/{older.reference}/fusion/BBB-2026-00001/", {"confirmation": "oui"}
    )
    assert response.status_code == 404
    with in_town(town_b):
        other = Demand.all_objects.get(pk=other.pk)
        assert other.merged_into_id is None and other.events.count() == 1
    with in_town(town_a):
        assert Demand.objects.count() == 2
        assert not Demand.objects.get(pk=older.pk).events.filter(kind="merged").exists()


def test_the_merged_demand_takes_the_newer_s_status_when_it_went_further(
    town_a, town_b, in_town, pair
):
    """The team worked the newer demand up to the installation, then saw the duplicate:
    the older reference survives, installed, with its business (it stayed « Nouvelle »)."""
    from tenant_apps.installations.models import Business

    older, newer = pair
    with in_town(town_b):
        other = DemandFactory(reference="OLD-1", status=DemandStatus.NEW)
    with in_town(town_a):
        Demand.objects.filter(pk=older.pk).update(status=DemandStatus.NEW)
        Demand.objects.filter(pk=newer.pk).update(status=DemandStatus.INSTALLED)
        Business.objects.create(
            demand=newer, siret="73282932000074", name="Cave Garcia", opened_on=timezone.localdate()
        )
        merge(older, newer, by=None)
        merged = Demand.objects.get(pk=older.pk)
        assert merged.status == DemandStatus.INSTALLED
        assert merged.business.name == "Cave Garcia"
        # The same rule along the pipeline: a visit under way is not « Nouvelle » again.
        first = DemandFactory(
            status=DemandStatus.QUALIFIED, created_at=timezone.now() - timedelta(days=1)
        )
        second = DemandFactory(status=DemandStatus.VISIT)
        merge(first, second, by=None)
        assert Demand.objects.get(pk=first.pk).status == DemandStatus.VISIT
        given_up = DemandFactory(
            status=DemandStatus.ABANDONED, created_at=timezone.now() - timedelta(days=1)
        )
        installed = DemandFactory(status=DemandStatus.INSTALLED)
        merge(given_up, installed, by=None)
        assert Demand.objects.get(pk=given_up.pk).status == DemandStatus.INSTALLED
    with in_town(town_b):
        assert Demand.objects.get(pk=other.pk).status == DemandStatus.NEW
