"""Hundreds of generated submissions, valid and hostile: never a server error, never a
partial save, never a script rendered unescaped.

`make test` tries 150 journeys (about a minute of one core); `make test-hostile` tries
1,000 (HOSTILE_EXAMPLES), for a change of the form or of what a submission triggers."""

import os

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tenant_apps.demands.models import Demand, DemandEvent
from tenant_apps.mailing.models import OutboundEmail
from tests.conftest import client_for, logged_in_client
from tests.factories import MembershipFactory
from tests.jobs import run_jobs
from tests.tenant_apps.demands.helpers import STEPS

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
SAVES = ["submitted", "resubmitted"]
FIELDS = sorted({name for _, data in STEPS for name in data} | {"areas", "previous", "evil"})
PATHS = [path for path, _ in STEPS] + ["/demande/inconnue/", "/demande/envoyee/"]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(min_size=300, max_size=3000),
    st.just("x" * 100_000),
    st.sampled_from(
        [
            SCRIPT,
            f'"><img src=x onerror=alert(1)>{SCRIPT}',
            "\x00\x01\x02\x1b[31m",
            "'; DROP TABLE demands_demand; --",
            "９９９",
            "-1",
            "1e9",
            "2001-01-01",
            "31/02/2030",
            "NaN",
            "",
            " ",
        ]
    ),
)
value = st.one_of(hostile_text, st.integers().map(str), st.lists(hostile_text, max_size=3))
payload = st.dictionaries(st.sampled_from(FIELDS), value, max_size=6)
visit = st.tuples(st.sampled_from(PATHS), payload, st.booleans())
# A whole journey with valid answers, a few of them replaced by hostile ones: it reaches
# the final submission often enough to test saving, duplicates and emails.
TYPED = [
    "activity",
    "description",
    "other_needs",
    "first_name",
    "last_name",
    "siret",
    "phone",
    "email",
    "surface_min",
    "monthly_budget",
    "opening_date",
    "areas",
]
journey = st.lists(
    st.dictionaries(st.sampled_from(TYPED), hostile_text, max_size=1), min_size=4, max_size=4
).map(lambda extras: [(path, extra, True) for (path, _), extra in zip(STEPS, extras, strict=True)])


def post(client, path, base, extra):
    data = {**base, **extra}
    return client.post(path, data)


@settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "150")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    visits=st.one_of(st.lists(visit, min_size=1, max_size=6), journey), start_valid=st.booleans()
)
def test_generated_submissions_never_break_anything(
    town_a, in_town, django_settings, visits, start_valid
):
    client = client_for(town_a)
    with in_town(town_a):
        demands_before = Demand.objects.count()
        saves_before = DemandEvent.objects.filter(kind__in=SAVES).count()
    if start_valid:
        for path, data in STEPS[:-1]:
            client.post(path, data)
    valid = dict(STEPS)
    for path, extra, replay_valid in visits:
        base = valid.get(path, {}) if replay_valid else {}
        response = post(client, path, base, extra)
        assert response.status_code in (200, 302, 404, 429), (path, response.status_code)
        assert SCRIPT not in response.content.decode(errors="replace")

    run_jobs()  # the submission's announcement: its emails
    with in_town(town_a):
        created = Demand.objects.count() - demands_before
        saves = DemandEvent.objects.filter(kind__in=SAVES).count() - saves_before
        event(f"saved (new or updated): {saves}")
        assert created in (0, 1)
        assert saves in (0, 1)
        for demand in Demand.objects.select_related("applicant"):
            # Whole or nothing: a demand always has its porteur, its history and its email.
            assert demand.applicant.email
            assert demand.events.exists()
            assert OutboundEmail.objects.filter(key__startswith=f"demand:{demand.pk}:").exists()
        demand_ids = set(Demand.objects.values_list("pk", flat=True))
        for key in OutboundEmail.objects.values_list("key", flat=True):
            assert int(key.split(":")[1]) in demand_ids


@pytest.fixture
def django_settings(settings):
    settings.DEMAND_SUBMISSIONS_PER_HOUR = 10_000
    return settings


def test_what_porteurs_typed_is_escaped_in_the_back_office(town_a, in_town, django_settings):
    client = client_for(town_a)
    for path, data in STEPS:
        client.post(
            path,
            {**data, **{k: SCRIPT for k in ("activity", "description", "first_name") if k in data}},
        )
    with in_town(town_a):
        assert Demand.objects.filter(activity=SCRIPT).exists()
    staff = logged_in_client(town_a, MembershipFactory(territory=town_a).user)
    with in_town(town_a):
        reference = Demand.objects.get(activity=SCRIPT).reference
    for path in ("/gestion/", "/gestion/?status=all", f"/gestion/demandes/{reference}/"):
        page = staff.get(path)
        assert SCRIPT not in page.text
        assert "&lt;script&gt;" in page.text
