"""A GET changes nothing: mail scanners and link previews open every link of an email,
browsers prefetch, crawlers follow. Every GET route of both URLconfs (read from them, so
a route added later is walked too), with real parameters (follow-up, alert and sign-in
tokens, ids, references), as each role: anonymous, the town's staff, a partner member,
ANCT staff past their second factor, an outside juror of one call. After each request, no
row of the public schema or of the town's schema has changed.

What a GET may write, and why it is left out of the comparison:
- `django_session`: sessions are where a GET keeps what it must (the demand form's draft,
  the onboarding's progress, a TOTP secret being set up, a sign-in);
- `accounts_user.last_login`: the one-time sign-in links (welcome, ANCT consultation)
  sign in on GET — the browser lands there from a redirect, there is no form to post —
  and a sign-in stamps it; for the same reason, `accounts_usedlink` (and its id
  sequence), where such a link is marked used so that it works once, Redis down or not
  (these links are never emailed: they are the target of a redirect, within minutes);
- `premises_catalogueviewcount`: a daily count of views of a catalogue page (no personal
  data): counting a view is what the GET is for;
- the ANCT journal's lines that record a download of a town's data (and the journal's id
  sequence): logging who read personal data is the point of reading it through the
  console, not a change to any data. Every other line of the journal is compared.
"""

import time
from urllib.parse import urlsplit

import pyotp
import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.urls import path

from shared_apps.accounts.enums import Role
from shared_apps.accounts.one_time import one_time_token
from shared_apps.billing.models import Invoice
from shared_apps.national.views import VIEW_AS_SALT
from shared_apps.onboarding.models import Claim
from shared_apps.onboarding.services import WELCOME_SALT
from tenant_apps.applicant_alerts.models import Subscription
from tenant_apps.demands.models import Demand
from tenant_apps.jury.models import Juror
from tenant_apps.network.models import Alert, NetworkMember
from tenant_apps.tasks.models import CalendarFeed
from tests.attacks.conftest import town_objects
from tests.attacks.test_national_urls import SECRET_INVOICE
from tests.attacks.urls import all_urls
from tests.conftest import TownClient, client_for
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    PartnerFactory,
    PartnerMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Left out of the comparison (see the module's docstring): whole tables, and columns.
IGNORED_TABLES = {"django_session", "accounts_usedlink", "premises_catalogueviewcount"}
IGNORED_COLUMNS = {"accounts_user": ["last_login"]}
IGNORED_ROWS = {"national_auditentry": "action = 'export des données'"}
# Routes that replace the walking role's session, walked last: the one-time links sign
# someone in; allauth's email confirmation and password reset links sign out whoever is
# not the link's owner.
SESSION_ROUTES = ("account_confirm_email", "account_reset_password_from_key", "welcome", "consult")

TOWN_URLS = all_urls(settings.ROOT_URLCONF)
NATIONAL_URLS = all_urls(settings.PUBLIC_SCHEMA_URLCONF)
ROLES = ["anonymous", "town_staff", "partner_member", "anct_staff", "juror"]


def fingerprinter(*schemas):
    """A function that returns, per table of `schemas`, its row count and an
    order-independent hash of its rows, and per sequence its last value (a row written
    then deleted still moves it): one query, built once."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema = ANY(%s) AND table_type = 'BASE TABLE' ORDER BY 1, 2",
            [list(schemas)],
        )
        tables = [
            (schema, name) for schema, name in cursor.fetchall() if name not in IGNORED_TABLES
        ]
    parts = []
    for schema, name in tables:
        row = "to_jsonb(t)" + "".join(f" - '{column}'" for column in IGNORED_COLUMNS.get(name, []))
        parts.append(
            f"SELECT '{schema}.{name}', count(*)::text || ':' || "
            f"coalesce(sum(hashtextextended(({row})::text, 0)), 0)::text "
            f'FROM "{schema}"."{name}" t'
            + (f" WHERE NOT ({IGNORED_ROWS[name]})" if name in IGNORED_ROWS else "")
        )
    parts.append(
        "SELECT 'sequence ' || schemaname || '.' || sequencename, "
        "coalesce(last_value, 0)::text FROM pg_sequences WHERE schemaname = ANY(%s) "
        "AND NOT sequencename = ANY(%s)"
    )
    query = " UNION ALL ".join(parts)

    def fingerprint():
        with connection.cursor() as cursor:
            sequences = [f"{name}_id_seq" for name in [*IGNORED_ROWS, *IGNORED_TABLES]]
            cursor.execute(query, [list(schemas), sequences])
            return dict(cursor.fetchall())

    return fingerprint


def changes(before, after):
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


def walk(client, urls, objects, schemas):
    """GET every URL; the ones after which something changed, and each one's status."""
    urls = sorted(urls, key=lambda url: url.name in SESSION_ROUTES)
    fingerprint = fingerprinter(*schemas)
    changed, statuses = {}, {}
    before = fingerprint()
    for url in urls:
        address = url.path(objects)
        response = client.get(address)
        after = fingerprint()
        if changes(before, after):
            changed[f"{url.name} {address}"] = changes(before, after)
        statuses[url.name] = response.status_code
        before = after
    return changed, statuses


# What the routes' parameters are filled with --------------------------------------------


@pytest.fixture
def people(town_a):
    admin = MembershipFactory(territory=town_a, role=Role.ADMIN).user
    partner = PartnerFactory(name="Agence du Marché")
    partner_user = PartnerMemberFactory(partner=partner, is_approved=True).user
    anct = UserFactory(anct=True)
    secret = generate_totp_secret()
    TOTP.activate(anct, secret)
    anct.totp_secret = secret
    # An outside juror (no membership); their seat is on the walk's call (see `objects`).
    juror = UserFactory()
    return {
        "admin": admin,
        "partner": partner,
        "partner_user": partner_user,
        "anct": anct,
        "juror": juror,
    }


@pytest.fixture
def objects(town_a, in_town, people):
    """Every object a route of either site takes, with valid tokens."""
    found = town_objects(town_a, in_town)
    unverified = UserFactory()
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    with in_town(town_a):
        demand = Demand.objects.get(reference=found["reference"])
        Juror.objects.create(call_id=found["call"], user=people["juror"])
        member = NetworkMember.objects.create(partner=people["partner"], status="active")
        alert = Alert.objects.create(partner=people["partner"], demand=demand, frequency="daily")
        found |= {
            "followup_token": demand.followup_token(),
            "alerts_unsubscribe_token": Subscription.objects.create(
                demand=demand, is_active=True
            ).unsubscribe_token(),
            "answer_token": alert.answer_token("maybe"),
            "unsubscribe_token": member.unsubscribe_token("all"),
            "email_key": EmailConfirmationHMAC(EmailAddress.objects.get(user=unverified)).key,
            "calendar_token": CalendarFeed.issue(people["admin"]),
        }
    connection.set_schema_to_public()
    candidate = PartnerMemberFactory(partner=people["partner"], is_approved=False)
    invoice = Invoice.objects.create(
        number=SECRET_INVOICE,
        territory=town_a,
        plan_name="Commune",
        period_start="2026-01-01",
        period_end="2026-02-01",
        amount_cents=12_345,
    )
    claim = Claim.objects.create(territory=town_a, claimant=unverified)
    return found | {
        "claim": claim.pk,
        "schema": town_a.schema_name,
        "town": town_a.pk,
        "partner": people["partner"].pk,
        "candidate": candidate.pk,
        "invoice": invoice.number,
        "welcome_token": one_time_token(town_a, people["admin"], salt=WELCOME_SALT),
        "consult_token": one_time_token(town_a, people["anct"], salt=VIEW_AS_SALT),
        "reset_key": f"{user_pk_to_url_str(unverified)}-"
        f"{default_token_generator.make_token(unverified)}",
    }


# The roles ------------------------------------------------------------------------------


def national_client():
    return TownClient(HTTP_HOST=settings.BASE_DOMAIN)


def signed_in(client, user):
    response = client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def anct_on_the_national_site(anct):
    """Password, then the TOTP code, as a person does it."""
    client = signed_in(national_client(), anct)
    totp = pyotp.TOTP(anct.totp_secret)
    client.post("/compte/2fa/authenticate/", {"code": totp.now()})
    if client.get("/console/").status_code != 200:
        # Typed at the turn of its 30-second window: the next code, as a person would.
        time.sleep(totp.interval - time.time() % totp.interval + 0.5)
        client.post("/compte/2fa/authenticate/", {"code": totp.now()})
    assert client.get("/console/").status_code == 200
    return client


def client_as(role, site, town, people):
    if role == "anonymous":
        return client_for(town) if site == "town" else national_client()
    if role == "town_staff":
        return signed_in(client_for(town) if site == "town" else national_client(), people["admin"])
    if role == "partner_member":
        return signed_in(
            client_for(town) if site == "town" else national_client(), people["partner_user"]
        )
    if role == "juror":
        return signed_in(client_for(town) if site == "town" else national_client(), people["juror"])
    national = anct_on_the_national_site(people["anct"])
    if site == "national":
        return national
    # On a town, ANCT staff come through the console's read-only consultation.
    response = national.post(f"/console/collectivites/{town.pk}/consulter/")
    on_town = client_for(town)
    assert on_town.get(urlsplit(response["Location"]).path).status_code == 302
    assert on_town.get("/gestion/").status_code == 200
    return on_town


# Pages each role must reach (200): the walk's parameters are real, not refused ids.
REACHED = {
    ("town", "anonymous"): {
        "demands:followup",
        "demands:still_searching",
        "demands:erase",
        "network:answer_link",
        "network:unsubscribe",
        "account_confirm_email",
        "tasks:calendar_feed",
    },
    ("town", "town_staff"): {
        "backoffice:demand",
        "backoffice:premises_detail",
        "backoffice:premises_edit",
        "backoffice:team",
        "kit:kit",
        "tasks:my_tasks",
        "tasks:calendar",
        "tasks:edit",
        "exchanges:edit",
        "exchanges:log",
        "jury_admin:jurors",
        "jury_admin:ranking",
    },
    ("town", "partner_member"): {"network:demands", "network:settings", "network:premises"},
    ("town", "anct_staff"): {
        "backoffice:inbox",
        "backoffice:demand",
        "impact:dashboard",
        "jury_admin:ranking",
    },
    ("town", "juror"): {"jury:call", "jury:application"},
    ("national", "anonymous"): {"national:home", "onboarding:choose", "account_login"},
    ("national", "town_staff"): {"national:home", "mfa_index"},
    ("national", "partner_member"): {"partners:home"},
    ("national", "anct_staff"): {"national:console", "national:partners", "billing:billing"},
    ("national", "juror"): {"national:home"},
}


def assert_safe(site, role, changed, statuses):
    assert not changed, f"GET changed rows, as {role}: {changed}"
    failed = {name: status for name, status in statuses.items() if status >= 500}
    assert not failed, f"GET failed, as {role}: {failed}"
    missed = {name: statuses[name] for name in REACHED[site, role] if statuses[name] != 200}
    assert not missed, f"As {role}, these pages were not reached: {missed}"


@pytest.mark.parametrize("role", ROLES)
def test_no_get_on_a_town_changes_anything(role, town_a, people, objects):
    client = client_as(role, "town", town_a, people)
    changed, statuses = walk(client, TOWN_URLS, objects, ["public", town_a.schema_name])
    assert_safe("town", role, changed, statuses)


@pytest.mark.parametrize("role", ROLES)
def test_no_get_on_the_national_site_changes_anything(role, town_a, people, objects):
    client = client_as(role, "national", town_a, people)
    changed, statuses = walk(client, NATIONAL_URLS, objects, ["public", town_a.schema_name])
    assert_safe("national", role, changed, statuses)


def test_the_walk_covers_every_route_of_both_sites():
    names = {url.name for url in TOWN_URLS} | {url.name for url in NATIONAL_URLS}
    assert {"demands:still_searching", "demands:erase", "network:unsubscribe", "welcome"} <= names
    assert {"national:console", "billing:invoice_status", "account_confirm_email"} <= names
    assert len(TOWN_URLS) >= 90 and len(NATIONAL_URLS) >= 50


# The detector's control: a state-changing GET is caught -------------------------------


def add_a_partner(request):
    PartnerFactory(name="Créée par un GET")
    return HttpResponse("ok")


urlpatterns = [path("piege/", add_a_partner, name="trap")]


def test_a_get_that_changes_a_row_is_caught(town_a, objects, settings):
    settings.ROOT_URLCONF = __name__
    (trap,) = all_urls(__name__)
    changed, _ = walk(client_for(town_a), [trap], objects, ["public", town_a.schema_name])
    assert list(changed.values()) == [
        ["public.partners_partner", "sequence public.partners_partner_id_seq"]
    ]
