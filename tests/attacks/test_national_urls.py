"""Every protected URL of the national site (the ANCT console, billing, a partner joining
a town; read from the URLconf): refused without a session, to a town's own admin, and to
ANCT staff who have not passed their second factor; nothing leaked, nothing changed."""

from datetime import date

import pytest
from django.conf import settings

from shared_apps.accounts.enums import Role
from shared_apps.api.models import ApiToken
from shared_apps.billing.models import Invoice
from shared_apps.national.models import AuditEntry
from shared_apps.onboarding.models import Claim
from shared_apps.partners.models import Partner, PartnerMember
from tenants.models import Territory
from tests.attacks.test_urls import REFUSAL_REDIRECTS
from tests.attacks.urls import NATIONAL_PUBLIC, protected_urls
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    PartnerFactory,
    PartnerMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URLS = protected_urls(settings.PUBLIC_SCHEMA_URLCONF, NATIONAL_PUBLIC)
SECRET_INVOICE = "FA-2026-77777"
# ANCT staff without their second factor are sent to set it up, or to log in again.
NATIONAL_REFUSALS = (*REFUSAL_REDIRECTS, "/compte/2fa/totp/activate/")


@pytest.fixture
def objects(town_b):
    partner = PartnerFactory(name="Agence à modérer")
    invoice = Invoice.objects.create(
        number=SECRET_INVOICE,
        territory=town_b,
        plan_name="Commune",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 2, 1),
        amount_cents=12_345,
    )
    candidate = PartnerMemberFactory(partner=partner, is_approved=False)
    claim = Claim.objects.create(territory=town_b, claimant=UserFactory())
    national_token, _ = ApiToken.issue(
        Territory.objects.get(schema_name="public"),
        name="Observatoire",
        scopes=["towns:read"],
        days=30,
        by=None,
    )
    return {
        "api_token": national_token.pk,
        "town_slug": town_b.slug,
        "claim": claim.pk,
        "town": town_b.pk,
        "partner": partner.pk,
        "invoice": invoice.number,
        "candidate": candidate.pk,
    }


def state(town_b):
    return (
        Territory.objects.values_list("status", "deletion_scheduled_on").get(pk=town_b.pk),
        list(Invoice.objects.values_list("number", "status")),
        list(Partner.objects.values_list("pk", "is_hidden")),
        AuditEntry.objects.count(),
        list(PartnerMember.objects.values_list("pk", "is_approved")),
        list(Claim.objects.values_list("pk", "status")),
        list(ApiToken.objects.values_list("pk", "revoked_at")),
    )


def assert_refused(client, url, town_b):
    before = state(town_b)
    for method in ("GET", "POST"):
        response = (client.get if method == "GET" else client.post)(url, {})
        if response.status_code == 302:
            location = response["Location"]
            assert location in NATIONAL_REFUSALS or location.startswith("/compte/login/?"), (
                f"{method} {url}: redirected to {location}"
            )
        else:
            allowed = (403, 404, 405) if method == "GET" else (403, 404)
            assert response.status_code in allowed, f"{method} {url}: {response.status_code}"
        assert SECRET_INVOICE.encode() not in response.content, f"{method} {url} leaked"
    assert state(town_b) == before, f"{url} changed something"


def test_the_enumeration_covers_the_console_and_billing():
    assert {"national", "billing"} <= {url.name.split(":")[0] for url in URLS}


@pytest.mark.parametrize("url", URLS, ids=str)
def test_without_a_session_the_console_is_refused(url, client, objects, town_b):
    assert_refused(client, url.path(objects), town_b)


@pytest.mark.parametrize("url", URLS, ids=str)
def test_a_towns_admin_is_refused_the_console(url, client, objects, town_b):
    admin = MembershipFactory(territory=town_b, role=Role.ADMIN).user
    assert client.post("/compte/login/", {"login": admin.email, "password": PASSWORD})
    assert client.get("/compte/login/").wsgi_request.user.is_authenticated
    assert_refused(client, url.path(objects), town_b)


@pytest.mark.parametrize("url", URLS, ids=str)
def test_anct_staff_without_their_second_factor_are_refused(url, client, objects, town_b):
    client.force_login(UserFactory(anct=True))
    assert_refused(client, url.path(objects), town_b)
