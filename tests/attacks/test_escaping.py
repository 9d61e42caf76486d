"""HTML and script typed in every text field of the porteur's form come out escaped
wherever they are shown: the back-office inbox and demand page, and the follow-up page.
(tests/tenant_apps/demands/test_hostile_input.py fuzzes three fields; this covers every
text field the form has, now and later.)"""

import html

import pytest
from django import forms

from tenant_apps.demands.models import Demand
from tenant_apps.demands.wizard import STEPS as FORM_STEPS
from tests.conftest import client_for, logged_in_client
from tests.factories import MembershipFactory, NetworkMemberFactory, PartnerMemberFactory
from tests.tenant_apps.demands.helpers import STEPS

pytestmark = pytest.mark.django_db


def payload(name):
    return f"<script>alert('{name}')</script><img src=x onerror=alert(1)>{name}"


def text_fields(form_class):
    """The free-text fields of a step (the honeypot aside)."""
    return [
        name
        for name, field in form_class.base_fields.items()
        if type(field) is forms.CharField and name != "website"
    ]


def submit_with_payloads(client):
    """Each step with a payload in every text field; a field that refuses it (a SIRET,
    a phone number) gets the valid answer back. Returns the fields that took it."""
    accepted = set()
    assert [path.strip("/").split("/")[-1] for path, _ in STEPS[1:]] == [
        step.slug for step in FORM_STEPS[1:]
    ]
    for (path, data), step in zip(STEPS, FORM_STEPS, strict=True):
        hostile = {name: payload(name) for name in text_fields(step.form_class)}
        response = client.post(path, {**data, **hostile})
        if response.status_code != 302:
            refused = set(response.context["form"].errors)
            hostile = {name: value for name, value in hostile.items() if name not in refused}
            response = client.post(path, {**data, **hostile})
        assert response.status_code == 302, (path, response.context["form"].errors)
        accepted |= set(hostile)
    return accepted


def test_every_text_field_is_escaped_in_the_back_office_and_the_follow_up_page(
    town_a, in_town, settings
):
    settings.DEMAND_SUBMISSIONS_PER_HOUR = 100
    accepted = submit_with_payloads(client_for(town_a))
    assert {"activity", "description", "other_needs", "first_name", "last_name"} <= accepted
    with in_town(town_a):
        demand = Demand.objects.select_related("applicant").get()
        token = demand.followup_token()
    staff = logged_in_client(town_a, MembershipFactory(territory=town_a, role="admin").user)
    pages = {
        "inbox": staff.get("/gestion/"),
        "demand": staff.get(f"/gestion/demandes/{demand.reference}/"),
        "follow-up": client_for(town_a).get(f"/suivi/{token}/"),
    }
    for page, response in pages.items():
        assert response.status_code == 200, page
        body = response.text
        for name in accepted:
            assert payload(name) not in body, f"{name} rendered as HTML in the {page} page"
        assert "<script>alert(" not in body
        assert "onerror=alert" not in body.replace("onerror=alert(1)&gt;", "")
    shown = {name for name in accepted if html.escape(payload(name)) in pages["demand"].text}
    assert {"activity", "first_name", "last_name"} <= shown


def test_what_porteurs_typed_is_escaped_in_the_partner_portal(town_a, in_town, settings):
    settings.DEMAND_SUBMISSIONS_PER_HOUR = 100
    submit_with_payloads(client_for(town_a))
    member = PartnerMemberFactory()
    with in_town(town_a):
        NetworkMemberFactory(partner=member.partner, status="active")
        demand = Demand.objects.get()
        demand.status = "qualified"
        demand.save(update_fields=["status"])
    partner = logged_in_client(town_a, member.user)
    for path in ("/partenaires/demandes/", f"/partenaires/demandes/{demand.reference}/"):
        response = partner.get(path)
        assert response.status_code == 200, path
        assert html.escape(payload("activity")) in response.text, path  # it is shown...
        assert "<script>alert(" not in response.text, path  # ...as text
