"""The correspondence's part of the demo: in each town, the most advanced open demand whose
porteur accepted sharing got an email from a ready template three days ago, and answered
by email the day after. Run inside a town's schema."""

import uuid
from datetime import timedelta

from django.utils import timezone

from tenant_apps.correspondence.enums import Direction
from tenant_apps.correspondence.models import DemandEmail, EmailTemplate
from tenant_apps.correspondence.placeholders import fill
from tenant_apps.correspondence.services import outbox_key, placeholder_values
from tenant_apps.demands.enums import DemandStatus, EventKind
from tenant_apps.demands.models import Demand, DemandEvent
from tenant_apps.mailing.models import OutboundEmail

ADVANCED_FIRST = [DemandStatus.VISIT, DemandStatus.PROPOSALS, DemandStatus.SEARCHING]
REPLY = (
    "Bonjour,\n\nMerci pour votre message. Je suis disponible jeudi ou vendredi après-midi "
    "pour en parler au téléphone, et je peux visiter dès la semaine prochaine.\n\n"
    "Bien à vous,\n{prenom} {nom}"
)


def write_some(seed):
    """One email and its reply; returns how many demands got them (0 or 1)."""
    demand = None
    for status in ADVANCED_FIRST:
        demand = (
            Demand.objects.not_erased()
            .filter(status=status, consent_to_share=True)
            .select_related("applicant")
            .order_by("created_at")
            .first()
        )
        if demand:
            break
    # The demo fills a town in the transaction that creates it, before the ready
    # templates' own hook runs (signals.give_new_town_its_templates): add them now.
    EmailTemplate.objects.add_ready()
    template = EmailTemplate.objects.filter(name="Premier contact").first()
    if demand is None or template is None or demand.correspondence.exists():
        return 0
    values = placeholder_values(demand, None)
    subject, body = fill(template.subject, values), fill(template.body, values)
    now = timezone.now()
    sent_at, replied_at = now - timedelta(days=3), now - timedelta(days=2, hours=5)
    key = uuid.UUID(int=seed)
    outbound = OutboundEmail.objects.create(
        key=outbox_key(demand, key),
        to=demand.applicant.email,
        subject=subject,
        body=body,
        created_at=sent_at,
        sent_at=sent_at + timedelta(seconds=4),
        attempts=1,
    )
    sent = DemandEvent.objects.create(
        demand=demand,
        kind=EventKind.EMAIL_SENT,
        message=f"« {subject} »",
        actor=values["agent"],
        created_at=sent_at,
    )
    DemandEmail.objects.create(
        demand=demand,
        direction=Direction.OUT,
        subject=subject,
        body=body,
        send_key=key,
        outbound=outbound,
        event=sent,
        created_at=sent_at,
    )
    text = REPLY.format(prenom=demand.applicant.first_name, nom=demand.applicant.last_name)
    reply = DemandEmail.objects.create(
        demand=demand,
        direction=Direction.IN,
        subject=f"Re: {subject}",
        body=text,
        from_address=demand.applicant.email,
        message_id=f"<demo-{demand.reference}@example.fr>",
        created_at=replied_at,
    )
    reply.event = DemandEvent.objects.create(
        demand=demand,
        kind=EventKind.EMAIL_RECEIVED,
        message=f"De : {reply.from_address}\nObjet : {reply.subject}\n\n{text}",
        actor="porteur",
        visible_to_applicant=False,
        created_at=replied_at,
    )
    reply.save(update_fields=["event"])
    return 1
