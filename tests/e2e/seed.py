"""What the browser journeys start from, written into the e2e database by one process.

Run by tests/e2e/conftest.py as `python -m tests.e2e.seed` with the app server's
environment; prints one JSON line describing what it created. Each journey uses its own
objects here, so that journeys may run in any order and on any xdist worker.
"""

import json

import django


def seed():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django_tenants.utils import schema_context

    from shared_apps.accounts.enums import Role
    from shared_apps.partners.models import Partner
    from tenants.enums import TerritoryKind, TerritoryStatus
    from tenants.provisioning import ensure_public_territory, provision_territory
    from tests.factories import (
        DemandFactory,
        MembershipFactory,
        NetworkMemberFactory,
        UserFactory,
    )

    ensure_public_territory()
    town = provision_territory(
        name="Villebelle", slug="villebelle", kind=TerritoryKind.COMMUNE, status="open"
    )
    waiting = provision_territory(
        name="Attenteville",
        slug="attenteville",
        kind=TerritoryKind.COMMUNE,
        status=TerritoryStatus.PRE_OPENING,
    )
    agent = MembershipFactory(
        territory=town, role=Role.AGENT, user__email="agent@villebelle.example.fr"
    ).user
    admin = MembershipFactory(
        territory=town, role=Role.ADMIN, user__email="admin@villebelle.example.fr"
    ).user
    # Signs in with ProConnect: an identity of the local provider (bin/proconnect-local).
    proconnect_agent = MembershipFactory(
        territory=town, role=Role.AGENT, user__email="dev-eco@draguignan.demo.boursoloco.fr"
    ).user
    partner = Partner.objects.create(
        name="Agence du Beffroi", kind="estate_agency", email="contact@agence-beffroi.example.fr"
    )
    alerted = Partner.objects.create(
        name="Foncière des Remparts",
        kind="property_company",
        email="alertes@remparts.example.fr",
    )
    with schema_context(town.schema_name):
        NetworkMemberFactory(partner=alerted, status="active", frequency="immediate")
        # In the network (introductions offer the town's own partners), without alerts.
        NetworkMemberFactory(partner=partner, status="active", alerts_enabled=False)
        to_qualify = DemandFactory(
            reference="VIL-2026-00002", activity="Fromagerie affineur", consent_to_share=True
        )
        demand = DemandFactory(
            reference="VIL-2026-00001",
            activity="Librairie-café",
            consent_to_share=True,
            applicant__first_name="Inès",
            applicant__last_name="Moreau",
            applicant__email="ines.moreau@example.fr",
        )
    anct = UserFactory(anct=True, email="anct@e2e.example.fr")
    secret = generate_totp_secret()
    TOTP.activate(anct, secret)
    return {
        "town": town.slug,
        "waiting_town": waiting.slug,
        "waiting_town_name": waiting.name,
        "agent": agent.email,
        "admin": admin.email,
        "proconnect_agent": proconnect_agent.email,
        "partner": partner.name,
        "partner_email": partner.email,
        "demand": demand.reference,
        "demand_to_qualify": to_qualify.reference,
        "alerted_partner": alerted.name,
        "alerted_partner_email": alerted.email,
        "applicant_email": demand.applicant.email,
        "anct": anct.email,
        "anct_totp_secret": secret,
    }


if __name__ == "__main__":
    django.setup()
    print(json.dumps(seed()))
