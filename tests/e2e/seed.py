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
    proposals = seed_proposals_journey(town)
    layout = seed_layout_check(town)
    workbench = seed_workbench_journey(agent)
    call = seed_call_journey(agent)
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
        **proposals,
        **layout,
        **workbench,
        **call,
    }


def seed_workbench_journey(agent):
    """A town of its own (the journey installs a business: other journeys count theirs),
    where the agent also works; a qualified demand followed by a colleague, of a porteur
    who consented to sharing, and the same project sent again by them a day later from the
    same address: a likely duplicate (tests/e2e/test_workbench.py)."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tenants.utils import schema_context

    from shared_apps.accounts.enums import Role
    from tenants.enums import TerritoryKind
    from tenants.provisioning import provision_territory
    from tests.factories import DemandFactory, MembershipFactory

    town = provision_territory(
        name="Boisjoli", slug="boisjoli", kind=TerritoryKind.COMMUNE, status="open"
    )
    MembershipFactory(territory=town, user=agent, role=Role.AGENT)
    # The porteur's news ring the colleague's bell, not the agent's.
    colleague = MembershipFactory(
        territory=town, role=Role.AGENT, user__email="collegue@boisjoli.example.fr"
    ).user
    with schema_context(town.schema_name):
        demand = DemandFactory(
            reference="BOI-2026-00001",
            assignee=colleague,
            activity="Boulangerie au levain",
            status="qualified",
            consent_to_share=True,
            created_at=timezone.now() - timedelta(days=2),
            applicant__first_name="Camille",
            applicant__last_name="Roux",
            applicant__email="camille.roux@example.fr",
        )
        again = DemandFactory(
            reference="BOI-2026-00002",
            assignee=colleague,
            activity="Boulangerie au levain naturel",
            status="new",
            consent_to_share=True,
            created_at=timezone.now() - timedelta(days=1),
            applicant__first_name="Camille",
            applicant__last_name="Roux",
            applicant__email="camille.roux@example.fr",
        )
        again.refresh_duplicate_flag()  # what the submission's announcement job does
    return {
        "workbench_town": town.slug,
        "workbench_demand": demand.reference,
        "workbench_duplicate": again.reference,
        "workbench_applicant": demand.applicant.email,
    }


def seed_call_journey(agent):
    """A town of its own where the agent drafted a trial-shop call for an empty shop, with
    its two-line grid (tests/e2e/test_call.py): the journey publishes it, two porteurs
    apply, two jurors score, the decision goes out and the trial starts."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tenants.utils import schema_context

    from shared_apps.accounts.enums import Role
    from tenants.enums import TerritoryKind
    from tenants.provisioning import provision_territory
    from tests.factories import MembershipFactory
    from tests.tenant_apps.calls.factories import CallFactory

    town = provision_territory(
        name="Essaiville", slug="essaiville", kind=TerritoryKind.COMMUNE, status="open"
    )
    MembershipFactory(territory=town, user=agent, role=Role.AGENT)
    with schema_context(town.schema_name):
        call = CallFactory(
            draft=True,
            created_by=agent,
            title="Boutique à l’essai de la rue des Arts",
            premises__address="4 rue des Arts",
            deadline=timezone.now() + timedelta(days=20),
            grid=[("Faisabilité du projet", 60), ("Motivation", 40)],
        )
    return {"call_town": town.slug, "call": call.pk, "call_title": call.title}


def seed_layout_check(town):
    """Long rows for the tables' layout check (tests/e2e/test_layout.py): qualified
    demands with long names that the agency of the proposals journey sees, and an ANCT
    agent of its own (a TOTP code is accepted once: not shared with test_console)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django_tenants.utils import schema_context

    from tests.factories import AreaFactory, DemandFactory, UserFactory

    with schema_context(town.schema_name):
        areas = [AreaFactory(name=name) for name in ("Centre historique", "Faubourg Saint-Jean")]
        for number, activity in enumerate(
            (
                "Atelier de restauration de meubles anciens et de tapisserie d’ameublement",
                "Épicerie fine et cave à vins de vignerons indépendants avec dégustations",
                "Cabinet de kinésithérapie et d’ostéopathie pour trois praticiens associés",
            ),
            start=21,
        ):
            demand = DemandFactory(
                reference=f"VIL-2026-000{number}",
                activity=activity,
                status="qualified",
                # Offices: no premises of the other journeys suits them.
                premises_kind="office",
                surface_min=200,
                surface_max=300,
                monthly_budget=1450,
            )
            demand.areas.set(areas)
    anct = UserFactory(anct=True, email="anct-mise-en-page@e2e.example.fr")
    secret = generate_totp_secret()
    TOTP.activate(anct, secret)
    return {"layout_anct": anct.email, "layout_anct_totp_secret": secret}


def seed_proposals_journey(town):
    """An agency that manages premises, a porteur's qualified demand with their follow-up
    link, and a published shop with a photo that suits it (tests/e2e/test_proposals.py)."""
    from django.core.files.base import ContentFile
    from django_tenants.utils import schema_context

    from shared_apps.partners.models import Partner
    from tenant_apps.premises.models import PremisesPhoto
    from tests.factories import (
        DemandFactory,
        NetworkMemberFactory,
        PartnerMemberFactory,
        PremisesFactory,
    )

    agency = Partner.objects.create(
        name="Agence des Halles", kind="estate_agency", email="contact@agence-halles.example.fr"
    )
    member = PartnerMemberFactory(partner=agency, user__email="agent@agence-halles.example.fr")
    with schema_context(town.schema_name):
        NetworkMemberFactory(partner=agency, status="active", alerts_enabled=False)
        demand = DemandFactory(
            reference="VIL-2026-00003",
            activity="Salon de thé",
            status="qualified",
            consent_to_share=True,
            applicant__first_name="Nora",
            applicant__last_name="Benali",
            applicant__email="nora.benali@example.fr",
        )
        premises = PremisesFactory(
            address="5 place du Marché, Villebelle",
            surface=70,
            monthly_rent=1100,
            has_shop_window=True,
            is_published=True,
            latitude=43.5372,
            longitude=6.4655,
            description="Ancienne librairie, deux vitrines sur la place du marché.",
        )
        PremisesPhoto.objects.create(
            premises=premises,
            image=ContentFile(shop_front_jpeg(), name="vitrine.jpg"),
            caption="La vitrine sur la place",
        )
        followup_path = demand.followup_path()
    return {
        "agency": agency.name,
        "agency_member": member.user.email,
        "proposals_demand": demand.reference,
        "proposals_followup": followup_path,
        "proposals_applicant": demand.applicant.email,
        "proposed_premises": premises.address,
    }


def shop_front_jpeg():
    """A drawn shop front: a photo for the journey's premises, made here."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 640), "#dfe8f0")
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 120, 880, 640), fill="#e9dcc3")  # the façade
    for index in range(8):  # the awning's stripes
        draw.rectangle(
            (120 + index * 90, 210, 210 + index * 90, 270), fill=("#1f6f5c", "#f4f1ea")[index % 2]
        )
    draw.rectangle((140, 300, 560, 580), fill="#9fb8c8", outline="#3b3b3b", width=8)  # window
    draw.rectangle((620, 300, 800, 640), fill="#5a3e2b", outline="#3b3b3b", width=8)  # door
    draw.rectangle((80, 140, 880, 190), fill="#1f6f5c")  # the sign
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


if __name__ == "__main__":
    django.setup()
    print(json.dumps(seed()))
