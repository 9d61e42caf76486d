"""The town API's resources: demands (personal data only with personal:read), their
events, premises (read and written through the back-office's form), proposals, the
partner network, the dashboard; cursor pagination, updated_since, ETag."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shared_apps.api import schemas
from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import Demand
from tenant_apps.premises.models import Premises, PremisesPhoto
from tenant_apps.proposals.models import Proposal
from tests.factories import (
    AreaFactory,
    DemandFactory,
    NetworkMemberFactory,
    PremisesFactory,
)
from tests.shared_apps.api.conftest import api_client

pytestmark = pytest.mark.django_db


def test_demands_carry_personal_data_only_with_its_scope(town_a, in_town, issue):
    with in_town(town_a):
        demand = DemandFactory(description="Mon projet secret", siret="12345678200010")
        demand.record(EventKind.NOTE, "Appelé Mme Porteur au 06 12 34 56 78", actor="Alex")
    plain = api_client(town_a, issue(town_a, "demands:read"))
    full = api_client(town_a, issue(town_a, "demands:read", "personal:read"))

    item = plain.get("/api/v1/demands/").json()["items"][0]
    assert item["reference"] == demand.reference and item["activity"] == demand.activity
    assert item["applicant"] is None and item["description"] is None and item["siret"] is None
    body = plain.get(f"/api/v1/demands/{demand.reference}/").content.decode()
    assert demand.applicant.email not in body and "secret" not in body
    events = plain.get(f"/api/v1/demands/{demand.reference}/events/").json()["items"]
    assert events[0]["kind"] == "note" and events[0]["message"] is None

    item = full.get(f"/api/v1/demands/{demand.reference}/").json()
    assert item["applicant"]["email"] == demand.applicant.email
    assert item["description"] == "Mon projet secret"
    events = full.get(f"/api/v1/demands/{demand.reference}/events/").json()["items"]
    assert events[0]["message"].startswith("Appelé")


def test_a_demand_of_another_town_is_not_found(town_a, town_b, in_town, issue):
    with in_town(town_b):
        other = DemandFactory()
    response = api_client(town_a, issue(town_a, "demands:read")).get(
        f"/api/v1/demands/{other.reference}/"
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_the_cursor_walks_every_demand_once_and_updated_since_keeps_recent_ones(
    town_a, in_town, issue
):
    with in_town(town_a):
        demands = [DemandFactory() for _ in range(7)]
        old = timezone.now() - timedelta(days=10)
        Demand.objects.filter(pk__in=[d.pk for d in demands[:4]]).update(updated_at=old)
    client = api_client(town_a, issue(town_a, "demands:read"))
    seen, cursor = [], ""
    while True:
        page = client.get("/api/v1/demands/", {"limit": 3, "cursor": cursor}).json()
        seen += [item["reference"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(d.reference for d in demands)
    # Least recently changed first: the four old ones lead.
    assert set(seen[:4]) == {d.reference for d in demands[:4]}
    since = (timezone.now() - timedelta(days=1)).isoformat()
    recent = client.get("/api/v1/demands/", {"updated_since": since}).json()["items"]
    assert {item["reference"] for item in recent} == {d.reference for d in demands[4:]}


def test_bad_list_parameters_get_french_problems(town_a, issue):
    client = api_client(town_a, issue(town_a, "demands:read"))
    for params, field in (
        ({"cursor": "nimporte-quoi"}, "cursor"),
        ({"limit": 0}, "limit"),
        ({"limit": "beaucoup"}, "limit"),
        ({"updated_since": "hier"}, "updated_since"),
    ):
        response = client.get("/api/v1/demands/", params)
        assert response.status_code == 422, params
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["title"] == "Données invalides"
        assert [error["field"] for error in problem["errors"]] == [field]


def test_the_queries_of_a_list_do_not_grow_with_the_page(town_a, in_town, issue):
    with in_town(town_a):
        areas = [AreaFactory() for _ in range(3)]
        for _ in range(60):
            DemandFactory().areas.set(areas)
        for _ in range(60):
            PremisesFactory()
    client = api_client(town_a, issue(town_a, "demands:read", "premises:read", "personal:read"))
    for path in ("/api/v1/demands/", "/api/v1/premises/"):
        counts = []
        for limit in (5, 50):
            client.get(path, {"limit": limit})  # warm
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path, {"limit": limit}).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], (path, counts)


def test_etag_answers_304_until_the_list_changes(town_a, in_town, issue):
    with in_town(town_a):
        premises = PremisesFactory()
    client = api_client(town_a, issue(town_a, "premises:read"))
    first = client.get("/api/v1/premises/")
    etag = first["ETag"]
    assert client.get("/api/v1/premises/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    with in_town(town_a):
        Premises.objects.filter(pk=premises.pk).update(surface=61, updated_at=timezone.now())
    again = client.get("/api/v1/premises/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_premises_are_created_and_changed_through_the_back_office_form(town_a, in_town, issue):
    with in_town(town_a):
        area = AreaFactory(name="Centre ancien")
    client = api_client(town_a, issue(town_a, "premises:write", "premises:read"))
    response = client.post(
        "/api/v1/premises/",
        {
            "address": "3 place du Marché, 83300 Draguignan",
            "kind": "shop",
            "surface": 45,
            "monthly_rent": 900,
            "area_id": area.pk,
            "is_published": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["area_id"] == area.pk and created["is_published"] is True
    with in_town(town_a):
        premises = Premises.objects.get(pk=created["id"])
        assert premises.state_changes.count() == 1  # the history starts, as in /gestion/
    response = client.patch(
        f"/api/v1/premises/{premises.pk}/",
        {"state": "let"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    changed = response.json()
    assert changed["state"] == "let" and changed["surface"] == 45 and changed["is_published"]
    with in_town(town_a):
        assert list(premises.state_changes.values_list("to_state", flat=True)) == [
            "vacant",
            "let",
        ]


def test_bad_premises_are_refused_in_french_and_nothing_is_written(town_a, town_b, in_town, issue):
    with in_town(town_b):
        foreign_area = AreaFactory()
    client = api_client(town_a, issue(town_a, "premises:write"))
    cases = [
        ({"address": "1 rue", "kind": "shop"}, "surface", "Indiquez la surface en m²."),
        ({"address": "1 rue", "kind": "shop", "surface": 0}, "surface", "au moins 1 m²"),
        ({"address": "1 rue", "kind": "château", "surface": 10}, "kind", "Sélectionnez"),
        (
            {"address": "1 rue", "kind": "shop", "surface": 10, "latitude": 43.5},
            "longitude",
            "latitude et la longitude",
        ),
        (
            {"address": "1 rue", "kind": "shop", "surface": 10, "area_id": foreign_area.pk},
            "area_id",
            "Sélectionnez",
        ),
        ({"address": "1 rue", "kind": "shop", "surface": "grand"}, "surface", "nombre entier"),
    ]
    for body, field, message in cases:
        response = client.post("/api/v1/premises/", body, content_type="application/json")
        assert response.status_code == 422, (body, response.content)
        problem = response.json()
        assert response["Content-Type"] == "application/problem+json"
        assert any(e["field"] == field and message in e["detail"] for e in problem["errors"]), (
            body,
            problem,
        )
    response = client.post("/api/v1/premises/", "{pas du json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"
    with in_town(town_a):
        assert not Premises.objects.exists()


def test_premises_hide_a_private_owner_without_personal_read(town_a, in_town, issue):
    with in_town(town_a):
        premises = PremisesFactory(owner_name="M. Propriétaire")
        PremisesPhoto.objects.create(premises=premises, image="locaux/1/vitrine.jpg")
    plain = api_client(town_a, issue(town_a, "premises:read")).get("/api/v1/premises/")
    # Built by hand for speed (shared_apps/api/town.py): still exactly its schema.
    page = schemas.PremisesPage.model_validate(plain.json())
    assert page.items[0].photos[0].url == town_a.url(
        f"/media/{town_a.schema_name}/locaux/1/vitrine.jpg"
    )
    assert plain.json()["items"][0]["owner_name"] is None
    assert "Propriétaire" not in plain.content.decode()
    full = api_client(town_a, issue(town_a, "premises:read", "personal:read"))
    assert full.get("/api/v1/premises/").json()["items"][0]["owner_name"] == "M. Propriétaire"


def test_proposals_partners_and_dashboard(town_a, in_town, issue):
    with in_town(town_a):
        demand, premises = DemandFactory(status="searching"), PremisesFactory()
        Proposal.objects.create(
            demand=demand, premises=premises, origin="team", comment="Trop sombre pour moi"
        )
        member = NetworkMemberFactory()
    client = api_client(town_a, issue(town_a, "proposals:read", "partners:read", "dashboard:read"))
    proposal = client.get("/api/v1/proposals/").json()["items"][0]
    assert proposal["demand_reference"] == demand.reference and proposal["comment"] is None
    partner = client.get("/api/v1/partners/").json()["items"][0]
    assert partner["name"] == member.partner.name and partner["status"] == "active"
    board = client.get("/api/v1/dashboard/").json()
    assert board["total"] == 1 and board["period"]["start"]
    wrong = client.get("/api/v1/dashboard/", {"start": "2026-06-01", "end": "2026-01-01"})
    assert wrong.status_code == 422 and "précéder" in wrong.json()["detail"]
