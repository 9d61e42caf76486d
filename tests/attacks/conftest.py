"""Two towns' objects for the attacks: the victim's (town B) carry recognisable secrets
and ids that do not exist in the attacker's town (A), so that a refusal cannot come from
a lucky id collision between schemas."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from shared_apps.accounts.enums import Role
from shared_apps.api.models import ApiToken, digest
from tenant_apps.backoffice.models import Export
from tenant_apps.calls.models import Application, Call
from tenant_apps.correspondence.models import Attachment, DemandEmail, EmailTemplate
from tenant_apps.exchanges.models import Exchange
from tenant_apps.notifications.models import Notification
from tenant_apps.portability.models import TownArchive
from tenant_apps.premises.models import PremisesPhoto
from tenant_apps.trials.models import Milestone, Trial
from tenant_apps.webhooks.models import Delivery, Webhook
from tests.conftest import logged_in_client
from tests.factories import (
    AreaFactory,
    DemandFactory,
    ExchangeFactory,
    MembershipFactory,
    NetworkMemberFactory,
    PremisesFactory,
    TaskFactory,
)
from tests.tenant_apps.calls.factories import ApplicationFactory, CallFactory
from tests.tenant_apps.jury.factories import JurorFactory, review

# What must never appear in a response given to someone outside town B.
SECRETS = {
    "reference": "BBB-2026-90001",
    "activity": "Chocolaterie Confidentielle",
    "last_name": "Secretbé",
    "email": "zoe.secretbe@example.fr",
    "area": "Quartier Caché de B",
    "premises": "99 impasse du Secret",
    "member": "equipier.secret@ville-b.example.fr",
    "exchange": "Échange confidentiel de B",
    "task": "Tâche confidentielle de B",
    "call": "Appel confidentiel de B",
    "milestone": "Notes confidentielles du point d’étape de B",
    "candidate": "Candidate Secrète de B",
    "juror": "jure.secret@banque-b.example.fr",
    "webhook": "https://crm-secret-de-b.example.fr/hook",
}
HIGH_ID = 900_001  # far above anything the attacker's town creates in a test


def town_objects(territory, in_town, *, secrets=None, pk=None):
    """One of each object a town URL takes an id of, created in `territory`."""
    secrets = secrets or {}
    ids = {"pk": pk} if pk else {}
    member = MembershipFactory(
        territory=territory,
        role=Role.AGENT,
        **({"user__email": secrets["member"]} if "member" in secrets else {}),
    )
    with in_town(territory):
        demand = DemandFactory(
            **ids,
            consent_to_share=True,
            **(
                {
                    "reference": secrets["reference"],
                    "activity": secrets["activity"],
                    "applicant__last_name": secrets["last_name"],
                    "applicant__email": secrets["email"],
                }
                if secrets
                else {}
            ),
        )
        area = AreaFactory(**ids, **({"name": secrets["area"]} if secrets else {}))
        premises = PremisesFactory(**ids, **({"address": secrets["premises"]} if secrets else {}))
        photo = PremisesPhoto.objects.create(**ids, premises=premises, image="photos/vitrine.jpg")
        export = Export.objects.create(**ids, created_by=member.user, format="csv")
        archive = TownArchive.objects.create(**ids, created_by=member.user, status="done")
        network_member = NetworkMemberFactory(**ids, status="requested")
        exchange = ExchangeFactory(
            **ids, demand=demand, **({"summary": secrets["exchange"]} if secrets else {})
        )
        task = TaskFactory(
            **ids,
            demand=demand,
            assignee=member.user,
            **({"title": secrets["task"]} if secrets else {}),
        )
        notification = Notification.objects.create(
            **ids,
            recipient=member.user,
            kind="assignment",
            text=f"Demande {demand.reference} attribuée",
            url=f"/gestion/demandes/{demand.reference}/",
            key=f"attack:{demand.reference}",
        )
        email_template = EmailTemplate.objects.create(**ids, name="Modèle", subject="S", body="B")
        email = DemandEmail.objects.create(
            **ids, demand=demand, direction="in", subject="S", body=""
        )
        attachment = Attachment.objects.create(
            **ids,
            email=email,
            file_name="kbis.pdf",
            content_type="application/pdf",
            size=1,
            stored_name=Attachment.new_stored_name(),
        )
        call = CallFactory(
            **ids, premises=premises, **({"title": secrets["call"]} if secrets else {})
        )
        application = ApplicationFactory(
            **ids, call=call, **({"name": secrets["candidate"]} if secrets else {})
        )
        # An outside juror of the call, who has scored the application.
        juror = JurorFactory(
            **ids, call=call, **({"user__email": secrets["juror"]} if secrets else {})
        )
        review(juror, application, [7, 8], comment="Avis du juré")
        trial = Trial.objects.create(
            **ids,
            application=application,
            call=call,
            premises=premises,
            starts_on=date(2027, 1, 1),
            ends_on=date(2027, 6, 30),
            rent_schedule=call.rent_schedule,
        )
        milestone = Milestone.objects.create(
            **ids, trial=trial, months=1, **({"note": secrets["milestone"]} if secrets else {})
        )
        webhook = Webhook.objects.create(
            **ids,
            url=secrets.get("webhook", "https://crm.example.fr/hook"),
            events=["demand.created"],
        )
        delivery = Delivery.objects.create(
            **ids, webhook=webhook, event_type="demand.created", message_id="msg_b", payload="{}"
        )
    connection.set_schema_to_public()
    api_token = ApiToken.objects.create(
        **ids,
        territory=territory,
        name="Jeton de la ville",
        hint="bol_xxxx",
        key_hash=digest(f"attack-{territory.slug}"),
        scopes=["premises:read"],
        expires_at=timezone.now() + timedelta(days=30),
    )
    return {
        "api_token": api_token.pk,
        "town_slug": territory.slug,
        "reference": demand.reference,
        "demand": demand,
        "area": area.pk,
        "membership": member.pk,
        "premises": premises.pk,
        "photo": photo.pk,
        "export": export.pk,
        "archive": archive.pk,
        "network_member": network_member.pk,
        "exchange": exchange.pk,
        "task": task.pk,
        "notification": notification.pk,
        "email_template": email_template.pk,
        "attachment": attachment.pk,
        "call": call.pk,
        "application": application.pk,
        "juror": juror.pk,
        "juror_user": juror.user,
        "trial": trial.pk,
        "milestone": milestone.pk,
        "webhook": webhook.pk,
        "delivery": delivery.pk,
    }


@pytest.fixture
def victim(town_b, in_town):
    """Town B's objects, with secrets and ids unknown in town A."""
    return town_objects(town_b, in_town, secrets=SECRETS, pk=HIGH_ID)


@pytest.fixture
def own(town_a, in_town):
    """Town A's own objects (for what A's staff may legitimately reach)."""
    return town_objects(town_a, in_town)


@pytest.fixture
def attacker(town_a):
    """An admin of town A (the most rights a town gives)."""
    return MembershipFactory(territory=town_a, role=Role.ADMIN).user


@pytest.fixture
def attacker_on_a(town_a, attacker):
    return logged_in_client(town_a, attacker)


@pytest.fixture
def fingerprint(town_b, in_town):
    """What state-changing requests could alter in town B, to compare before and after."""
    from shared_apps.accounts.models import Membership
    from tenant_apps.demands.models import Demand
    from tenant_apps.jury.models import Juror, Review, Score
    from tenant_apps.network.models import NetworkMember
    from tenant_apps.premises.models import Area, Premises
    from tenant_apps.proposals.models import Proposal
    from tenant_apps.tasks.models import CalendarFeed, Task

    def take():
        with in_town(town_b):
            state = (
                list(Demand.objects.values_list("reference", "status", "assignee_id", "tags")),
                list(Demand.objects.values_list("events__kind")),
                list(Area.objects.values_list("pk", "name")),
                list(Premises.objects.values_list("pk", "state", "address")),
                list(PremisesPhoto.objects.values_list("pk")),
                list(NetworkMember.objects.values_list("pk", "status")),
                list(Proposal.objects.values_list("pk", "answer")),
                list(Exchange.objects.values_list("pk", "kind", "summary")),
                list(Task.objects.values_list("pk", "title", "due_on", "done_at")),
                list(CalendarFeed.objects.values_list("pk", "token_hash")),
                list(EmailTemplate.objects.values_list("pk", "name", "subject", "body")),
                list(DemandEmail.objects.values_list("pk", "subject")),
                list(Call.objects.values_list("pk", "status", "title", "rent_schedule")),
                list(Application.objects.values_list("pk", "email", "decision")),
                list(Juror.objects.values_list("pk", "revoked_at")),
                list(Review.objects.values_list("pk", "submitted_at", "conflict", "comment")),
                list(Score.objects.values_list("pk", "value")),
                list(Trial.objects.values_list("pk", "outcome", "a_year_later", "starts_on")),
                list(Milestone.objects.values_list("pk", "note")),
            )
        connection.set_schema_to_public()
        members = list(
            Membership.objects.filter(territory=town_b).values_list("pk", "role", "is_active")
        )
        tokens = list(ApiToken.objects.filter(territory=town_b).values_list("pk", "revoked_at"))
        return state, members, tokens

    return take
