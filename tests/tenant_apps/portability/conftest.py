"""A town filled with one of everything the archive carries: rows of many apps, a
photo, a business plan, a received attachment, team, network partner."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from shared_apps.accounts.enums import Role
from tenant_apps.calls.models import private_dir as calls_dir
from tenant_apps.correspondence.models import Attachment, DemandEmail
from tenant_apps.demands.enums import EventKind
from tenant_apps.premises.models import PremisesPhoto
from tenant_apps.proposals.models import Proposal
from tests.factories import (
    AreaFactory,
    DemandFactory,
    ExchangeFactory,
    MembershipFactory,
    NetworkMemberFactory,
    PremisesFactory,
    TaskFactory,
)
from tests.tenant_apps.calls.factories import PDF, ApplicationFactory, CallFactory

PHOTO = b"\xff\xd8\xff\xe0 pas vraiment un JPEG, mais des octets a retrouver"


def fill(town, in_town, mark):
    """Rows and files of `town`, every text carrying `mark`; returns what tests look for."""
    admin = MembershipFactory(territory=town, role=Role.ADMIN, user__email=f"admin.{mark}@ex.fr")
    agent = MembershipFactory(territory=town, role=Role.AGENT, user__email=f"agent.{mark}@ex.fr")
    with in_town(town):
        area = AreaFactory(name=f"Quartier {mark}")
        demand = DemandFactory(
            reference=f"{mark}-2026-00001",
            activity=f"Librairie {mark}",
            assignee=agent.user,
            applicant__last_name=f"Porteur{mark}",
        )
        demand.areas.add(area)
        demand.record(EventKind.NOTE, f"Note {mark}", visible_to_applicant=False)
        # Announced to the network (a Broadcast): restored, it must not be announced again.
        demand.record(EventKind.STATUS_CHANGED, from_status="new", to_status="qualified")
        premises = PremisesFactory(address=f"1 rue {mark}", area=area)
        photo = PremisesPhoto(premises=premises, caption=f"Vitrine {mark}")
        photo.image.save("vitrine.jpg", ContentFile(PHOTO), save=True)
        Proposal.objects.create(demand=demand, premises=premises, origin="team")
        network = NetworkMemberFactory(partner__name=f"Agence {mark}", status="active")
        exchange = ExchangeFactory(demand=demand, summary=f"Échange {mark}", created_by=agent.user)
        exchange.team_members.add(admin.user, agent.user)
        TaskFactory(demand=demand, title=f"Tâche {mark}", assignee=agent.user)
        call = CallFactory(title=f"Appel {mark}", premises=premises)
        application = ApplicationFactory(call=call, name=f"Candidat {mark}", demand=demand)
        calls_dir().mkdir(parents=True, exist_ok=True)
        application.plan_path.write_bytes(PDF)
        email = DemandEmail.objects.create(
            demand=demand, direction="in", subject=f"Réponse {mark}", body="Bonjour"
        )
        attachment = Attachment.objects.create(
            email=email,
            file_name="kbis.pdf",
            content_type="application/pdf",
            size=len(PDF),
            stored_name=Attachment.new_stored_name(),
        )
        attachment.path.parent.mkdir(parents=True, exist_ok=True)
        attachment.path.write_bytes(PDF + mark.encode())
    return {
        "admin": admin.user,
        "agent": agent.user,
        "demand": demand,
        "photo": photo.image.name,
        "plan": application.plan_stored_name,
        "attachment": attachment.stored_name,
        "partner": network.partner,
    }


def remove_files(town):
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_ROOT):
        shutil.rmtree(Path(root) / town.schema_name, ignore_errors=True)


@pytest.fixture
def filled_a(town_a, in_town):
    yield fill(town_a, in_town, "AAA")
    remove_files(town_a)


@pytest.fixture
def filled_b(town_b, in_town):
    yield fill(town_b, in_town, "BBB")
    remove_files(town_b)
