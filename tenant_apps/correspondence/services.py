"""Writing to a porteur from their demand: the text filled for them, the outbox rows (the
porteur's and a partner's copy), the timeline line, once per form."""

from email.utils import formataddr

from django.db import transaction
from django.utils import timezone

from shared_apps.partners.models import Partner
from tenant_apps.correspondence.addresses import reply_address
from tenant_apps.correspondence.enums import Direction
from tenant_apps.correspondence.models import DemandEmail
from tenant_apps.correspondence.placeholders import fill
from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import Demand
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.mailing.services import deliver
from tenant_apps.proposals.services import describe
from tenants.jobs import enqueue_for_town
from tenants.models import Territory


class CannotWrite(Exception):
    """Writing to this porteur is not possible; the message is for people."""


def copy_candidates(demand):
    """Partners the porteur may be put in copy of: those introduced to this demand or
    alerted for it, with an address, and only if the porteur accepted sharing."""
    if not demand.consent_to_share or demand.erased_at:
        return Partner.objects.none()
    introduced = demand.introductions.values("partner_id")
    alerted = demand.alerts.filter(sent_at__isnull=False).values("partner_id")
    return (
        Partner.objects.filter(pk__in=introduced.union(alerted)).exclude(email="").order_by("name")
    )


def placeholder_values(demand, user):
    territory = Territory.objects.current()
    proposals = demand.proposals.select_related("premises").order_by("created_at")
    return {
        "prenom": demand.applicant.first_name,
        "nom": demand.applicant.last_name,
        "reference": demand.reference,
        "activite": demand.activity,
        "lien_suivi": territory.url(demand.followup_path()),
        "locaux_proposes": "\n".join(f"- {describe(p.premises)}" for p in proposals)
        or "(aucun local proposé pour le moment)",
        "ville": territory.name,
        "agent": (user.get_full_name() or user.email) if user else f"L’équipe de {territory.name}",
    }


def render_for_porteur(demand, user, subject, body):
    """(subject, body) as the porteur will read them."""
    values = placeholder_values(demand, user)
    # A subject is one header line: a value on several lines ({locaux_proposes}) is joined.
    return " ".join(fill(subject, values).split()), fill(body, values)


def outbox_key(demand, send_key, suffix=""):
    # Under demand:<id>: so that erasing the demand empties them with its other emails.
    return f"demand:{demand.pk}:courriel:{send_key}{suffix}"


def send(demand, *, user, subject, body, send_key, partner=None):
    """Queue the email to the porteur (and the partner's copy), record it on the timeline.
    Returns (DemandEmail, created): the same send_key sends once, however many times the
    form is submitted."""
    existing = DemandEmail.objects.filter(send_key=send_key).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        demand = (
            Demand.objects.select_for_update(of=("self",))
            .select_related("applicant")
            .get(pk=demand.pk)
        )
        existing = DemandEmail.objects.filter(send_key=send_key).first()
        if existing is not None:  # the other submission got the lock first
            return existing, False
        if demand.erased_at:
            raise CannotWrite(
                "Les données de ce porteur sont effacées : rien ne peut lui être envoyé."
            )
        if partner is not None and not copy_candidates(demand).filter(pk=partner.pk).exists():
            raise CannotWrite(
                "Ce partenaire ne peut pas être mis en copie : le porteur doit avoir accepté le "
                "partage, et le partenaire avoir été mis en relation ou alerté pour cette demande."
            )
        subject, body = render_for_porteur(demand, user, subject, body)
        applicant = demand.applicant
        porteur = formataddr(
            (f"{applicant.first_name} {applicant.last_name}".strip(), applicant.email)
        )
        headers = {"Reply-To": reply_address(demand)}
        if partner is not None:
            headers["Cc"] = formataddr((partner.name, partner.email))
        outbound = OutboundEmail.objects.create(
            key=outbox_key(demand, send_key),
            to=applicant.email,
            subject=subject[:255],
            body=body,
            headers=headers,
        )
        partner_outbound = None
        if partner is not None:
            partner_outbound = OutboundEmail.objects.create(
                key=outbox_key(demand, send_key, ":copie"),
                to=partner.email,
                subject=subject[:255],
                body=body,
                headers={"Reply-To": reply_address(demand), "Cc": porteur},
            )
        copy = f" (copie à {partner.name})" if partner else ""
        event = demand.record(
            EventKind.EMAIL_SENT, f"« {subject} »{copy}", user=user, visible_to_applicant=True
        )
        email = DemandEmail.objects.create(
            demand=demand,
            direction=Direction.OUT,
            subject=subject[:255],
            body=body,
            send_key=send_key,
            sent_by=user,
            outbound=outbound,
            partner=partner,
            partner_outbound=partner_outbound,
            event=event,
        )
        if demand.first_contact_at is None:
            demand.first_contact_at = timezone.now()
            demand.save(update_fields=["first_contact_at", "updated_at"])
        for row in filter(None, [outbound, partner_outbound]):
            enqueue_for_town(deliver, row.pk, queue="emails")
    return email, True
