"""The ANCT console: figures rolled up from every town, validation and suspension, audited."""

import time

import django_rq
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from rq import SimpleWorker

from shared_apps.national.models import AuditEntry, TownStats
from tenant_apps.demands.enums import DemandStatus
from tenants.jobs import for_each_town
from tests.conftest import client_for
from tests.factories import (
    PASSWORD,
    DemandFactory,
    MembershipFactory,
    NetworkMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def anct(client):
    import pyotp

    user = UserFactory(anct=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    totp = pyotp.TOTP(secret)
    client.post("/compte/2fa/authenticate/", {"code": totp.now()})
    if client.get("/console/").status_code != 200:
        # The code was typed at the turn of its 30-second window: the next one, as a person
        # would do.
        time.sleep(totp.interval - time.time() % totp.interval + 0.5)
        client.post("/compte/2fa/authenticate/", {"code": totp.now()})
    assert client.get("/console/").status_code == 200
    return client


def test_the_rollup_sums_what_each_town_computed(town_a, town_b, in_town, anct):
    with in_town(town_a):
        DemandFactory()
        installed = DemandFactory()
        installed.transition_to(DemandStatus.QUALIFIED, check=False)
        installed.transition_to(DemandStatus.INSTALLED, check=False)
        NetworkMemberFactory.create_batch(2)
        NetworkMemberFactory(status="requested")
    with in_town(town_b):
        DemandFactory(status=DemandStatus.SEARCHING)
        NetworkMemberFactory()
    for_each_town("shared_apps.national.tasks.roll_up_town")
    queue = django_rq.get_queue("default")
    SimpleWorker([queue], connection=queue.connection).work(burst=True)

    a, b = TownStats.objects.get(territory=town_a), TownStats.objects.get(territory=town_b)
    assert (a.demands_last_30_days, a.open_demands, a.installed_total) == (2, 1, 1)
    assert a.median_days_to_installation is not None
    assert (b.demands_last_30_days, b.open_demands, b.installed_total) == (1, 1, 0)
    assert (a.partners, b.partners) == (2, 1)
    page = anct.get("/console/")
    assert page.status_code == 200, page.get("Location")
    assert page.context["totals"]["demands"] == sum(
        s.demands_last_30_days for s in TownStats.objects.all()
    )


def test_validating_and_suspending_a_town_takes_effect_and_is_audited(town_b, anct):
    town_b.status = "pre_opening"
    town_b.save()
    assert anct.post(f"/console/collectivites/{town_b.pk}/validate/").status_code == 302
    town_b.refresh_from_db()
    assert town_b.status == "open"
    assert "pré-ouverture" not in client_for(town_b).get("/").text

    anct.post(f"/console/collectivites/{town_b.pk}/suspend/", {"confirmation": "oui"})
    assert client_for(town_b).get("/demande/").status_code == 503
    anct.post(f"/console/collectivites/{town_b.pk}/reactivate/")
    assert client_for(town_b).get("/demande/").status_code == 200
    assert list(AuditEntry.objects.order_by("created_at").values_list("action", flat=True)) == [
        "validation",
        "suspension",
        "réactivation",
    ]
    assert "réactivation de Ville B" in anct.get("/console/journal/").text


def test_an_impossible_action_is_refused_in_french(town_a, anct):
    response = anct.post(f"/console/collectivites/{town_a.pk}/reactivate/", follow=True)
    assert "action impossible" in response.text
    assert not AuditEntry.objects.exists()


def test_the_console_search_filters_towns(town_a, town_b, anct):
    page = anct.get("/console/?q=ville a")
    names = [town.name for town in page.context["towns"]]
    assert names == ["Ville A"]


def test_town_staff_cannot_act_in_the_console(town_a, client):
    admin = MembershipFactory(territory=town_a, role="admin").user
    client.post("/compte/login/", {"login": admin.email, "password": PASSWORD})
    assert client.post(f"/console/collectivites/{town_a.pk}/suspend/").status_code == 403
    town_a.refresh_from_db()
    assert town_a.status == "open"


def test_view_as_is_read_only_without_personal_data_and_logged(town_a, in_town, anct):
    with in_town(town_a):
        DemandFactory(reference="VUE-1", applicant__email="porteur-prive@example.fr")
    response = anct.post(f"/console/collectivites/{town_a.pk}/consulter/")
    assert response.status_code == 302
    path = response["Location"].split(":8000", 1)[1]
    town_client = client_for(town_a)
    assert town_client.get(path)["Location"] == "/gestion/"
    inbox = town_client.get("/gestion/")
    assert inbox.status_code == 200 and "lecture seule par l’ANCT" in inbox.text
    page = town_client.get("/gestion/demandes/VUE-1/")
    assert "porteur-prive@example.fr" not in page.text
    assert (
        town_client.post("/gestion/demandes/VUE-1/statut/", {"status": "qualified"}).status_code
        == 403
    )
    assert town_client.get("/gestion/reglages/").status_code == 403
    assert AuditEntry.objects.filter(action="consultation", territory=town_a).exists()
    # The link works once, and only on the town it was made for.
    assert client_for(town_a).get(path).status_code == 400


def test_a_consultation_link_means_nothing_to_town_staff(town_a, town_b, anct):
    response = anct.post(f"/console/collectivites/{town_a.pk}/consulter/")
    path = response["Location"].split(":8000", 1)[1]
    assert client_for(town_b).get(path).status_code == 400


def test_a_hidden_partner_is_no_longer_offered_to_towns(town_a, in_town, anct):
    from shared_apps.partners.models import Partner

    partner = Partner.objects.create(
        name="Agence douteuse", kind="estate_agency", email="x@example.fr"
    )
    assert anct.post(f"/console/partenaires/{partner.pk}/").status_code == 302
    partner.refresh_from_db()
    assert partner.is_hidden
    assert "masqué" in anct.get("/console/partenaires/?q=douteuse").text
    staff = MembershipFactory(territory=town_a, role="agent").user
    from tests.conftest import logged_in_client

    with in_town(town_a):
        DemandFactory(reference="MOD-1")
    page = logged_in_client(town_a, staff).get("/gestion/demandes/MOD-1/")
    assert "Agence douteuse" not in page.text
    assert AuditEntry.objects.filter(action="partenaire masqué").exists()


def test_closing_a_town_offers_an_export_then_deletes_it_after_the_grace_period(
    town_a, in_town, anct
):
    import io
    import zipfile
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from shared_apps.national.closing import delete_closed_towns
    from tenants.models import Territory

    with in_town(town_a):
        DemandFactory(reference="FERME-1")
    anct.post(f"/console/collectivites/{town_a.pk}/close/", {"confirmation": "oui"})
    town_a.refresh_from_db()
    assert town_a.status == "closed"
    assert town_a.deletion_scheduled_on == timezone.localdate() + timedelta(days=30)
    assert "Service fermé" in client_for(town_a).get("/").text

    response = anct.get(f"/console/collectivites/{town_a.pk}/export.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "FERME-1" in archive.read("demandes.csv").decode("utf-8-sig")
    assert {"porteurs.csv", "historique.csv", "locaux.csv", "quartiers.csv"} <= set(
        archive.namelist()
    )
    # The same archive as the town's admins download: every table, the team, the files.
    assert {"donnees/demands.demand.json", "public/accounts.membership.json"} <= set(
        archive.namelist()
    )

    assert delete_closed_towns() == []  # still in its grace period
    Territory.objects.filter(pk=town_a.pk).update(deletion_scheduled_on=timezone.localdate())
    with connection.cursor() as cursor:  # as at the end of the test's transaction
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert delete_closed_towns() == [town_a.schema_name]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s", [town_a.schema_name])
        assert cursor.fetchone()[0] == 0
    assert [e.action for e in AuditEntry.objects.order_by("created_at")][:2] == [
        "fermeture",
        "export des données",
    ]


def test_a_closed_town_can_be_reopened_during_its_grace_period(town_b, anct):
    anct.post(f"/console/collectivites/{town_b.pk}/close/", {"confirmation": "oui"})
    anct.post(f"/console/collectivites/{town_b.pk}/reactivate/")
    town_b.refresh_from_db()
    assert town_b.status == "open" and town_b.deletion_scheduled_on is None


def test_anct_approves_who_joins_an_organisation_without_members(anct):
    from shared_apps.partners.models import Partner, PartnerMember

    agency = Partner.objects.create(name="Agence sans membre", kind="estate_agency")
    candidate = PartnerMember.objects.create(
        user=UserFactory(email="candidat@gmail.com"), partner=agency, is_approved=False
    )
    page = anct.get("/console/partenaires/")
    assert "candidat@gmail.com" in page.text and "Agence sans membre" in page.text
    anct.post(f"/partenaires/membres/{candidate.pk}/accepter/")
    candidate.refresh_from_db()
    assert candidate.is_approved


def test_a_closed_town_with_invoices_loses_its_data_but_keeps_its_invoices(town_b, in_town, anct):
    import io
    import zipfile
    from datetime import date

    from django.db import connection
    from django.utils import timezone

    from shared_apps.billing.models import Invoice
    from shared_apps.national.closing import delete_closed_towns
    from tenants.models import Territory

    with in_town(town_b):
        DemandFactory(reference="FORM-1", activity='=HYPERLINK("http://x.invalid")')
    invoice = Invoice.objects.create(
        number="2026-000999",
        territory=town_b,
        plan_name="Commune",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 2, 1),
        amount_cents=9000,
    )
    anct.post(f"/console/collectivites/{town_b.pk}/close/", {"confirmation": "oui"})
    response = anct.get(f"/console/collectivites/{town_b.pk}/export.zip")
    export = zipfile.ZipFile(io.BytesIO(response.content))
    assert "'=HYPERLINK" in export.read("demandes.csv").decode("utf-8-sig")

    Territory.objects.filter(pk=town_b.pk).update(deletion_scheduled_on=timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert delete_closed_towns() == [town_b.schema_name]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s", [town_b.schema_name])
        assert cursor.fetchone()[0] == 0
    town_b.refresh_from_db()
    assert town_b.data_deleted and Invoice.objects.filter(pk=invoice.pk).exists()
    assert delete_closed_towns() == []  # nothing left to delete, no error every night
    anct.post(f"/console/collectivites/{town_b.pk}/reactivate/")
    town_b.refresh_from_db()
    assert town_b.status == "closed"  # no schema to reopen
    # Nothing left to export or consult: a 404, and no link to it in the console.
    assert anct.get(f"/console/collectivites/{town_b.pk}/export.zip").status_code == 404
    assert anct.post(f"/console/collectivites/{town_b.pk}/consulter/").status_code == 404
    console = anct.get("/console/").text
    assert "Données supprimées" in console
    assert f"/console/collectivites/{town_b.pk}/export.zip" not in console
    assert f"/console/collectivites/{town_b.pk}/consulter/" not in console
