"""Two towns never see each other: pages, jobs, cache, files and sessions."""

import django_rq
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from rq import SimpleWorker

from shared_apps.accounts.enums import Role
from tenants.jobs import enqueue_for_town
from tests.conftest import client_for, logged_in_client
from tests.factories import PASSWORD, DemandFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_demand_of_town_a_never_appears_in_town_b_back_office(town_a, town_b, in_town):
    with in_town(town_a):
        DemandFactory(reference="AAA-2026-00001", activity="Fromagerie de Ville A")
    staff_a = MembershipFactory(territory=town_a, role=Role.AGENT).user
    staff_b = MembershipFactory(territory=town_b, role=Role.AGENT).user
    client_a, client_b = logged_in_client(town_a, staff_a), logged_in_client(town_b, staff_b)

    page_a = client_a.get("/gestion/")
    page_b = client_b.get("/gestion/")

    assert "Fromagerie de Ville A" in page_a.text
    assert page_b.status_code == 200
    assert "Fromagerie de Ville A" not in page_b.text
    assert "AAA-2026-00001" not in page_b.text


def count_demands():
    from tenant_apps.demands.models import Demand

    return connection.schema_name, list(Demand.objects.values_list("reference", flat=True))


def test_a_job_runs_inside_the_town_it_was_enqueued_for(
    town_a, town_b, in_town, django_capture_on_commit_callbacks
):
    with in_town(town_a):
        DemandFactory(reference="AAA-2026-00002")
    with in_town(town_b):
        DemandFactory(reference="BBB-2026-00001")
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_for_town(count_demands, schema_name=town_a.schema_name)
        enqueue_for_town(count_demands, schema_name=town_b.schema_name)

    queue = django_rq.get_queue("default")
    jobs = queue.get_jobs()
    SimpleWorker([queue], connection=queue.connection).work(burst=True)

    results = [job.latest_result().return_value for job in jobs]
    assert results == [
        (town_a.schema_name, ["AAA-2026-00002"]),
        (town_b.schema_name, ["BBB-2026-00001"]),
    ]


def test_cache_keys_are_per_town(town_a, town_b, in_town):
    with in_town(town_a):
        cache.set("compteur", "valeur de A")
    with in_town(town_b):
        assert cache.get("compteur") is None
        cache.set("compteur", "valeur de B")
    with in_town(town_a):
        assert cache.get("compteur") == "valeur de A"
    keys = cache._cache.get_client().keys("*compteur*")
    assert {key.decode().split(":")[0] for key in keys} == {town_a.schema_name, town_b.schema_name}


def test_uploaded_files_are_stored_per_town(town_a, town_b, in_town, settings):
    with in_town(town_a):
        name = default_storage.save("identity/logo.png", ContentFile(b"logo de A"))
        path_a = default_storage.path(name)
    with in_town(town_b):
        assert not default_storage.exists(name)
        path_b = default_storage.path(name)

    assert path_a.startswith(str(settings.MEDIA_ROOT / town_a.schema_name))
    assert path_b.startswith(str(settings.MEDIA_ROOT / town_b.schema_name))
    with open(path_a, "rb") as stored:
        assert stored.read() == b"logo de A"


def test_staff_of_town_a_is_refused_in_town_b_back_office(town_a, town_b):
    staff_a = MembershipFactory(territory=town_a).user
    client = client_for(town_b)
    response = client.post("/compte/login/", {"login": staff_a.email, "password": PASSWORD})
    assert response.status_code == 302

    response = client.get("/gestion/")

    assert response.status_code == 403
    assert "Accès refusé" in response.text


def test_a_session_cookie_of_town_a_replayed_on_town_b_authenticates_nobody(town_a, town_b):
    user = UserFactory()
    MembershipFactory(user=user, territory=town_a)
    MembershipFactory(user=user, territory=town_b)
    client_a = client_for(town_a)
    response = client_a.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client_a.get("/gestion/").status_code == 200

    thief = client_for(town_b)
    thief.cookies = client_a.cookies
    response = thief.get("/gestion/")

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")
    # The legitimate session on town A is untouched.
    assert client_a.get("/gestion/").status_code == 200
