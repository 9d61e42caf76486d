"""Receiving a reply: the one function that the SMTP/LMTP listener (`receive_mail`) and
the Maildir reader (`read_maildir`) both call. It refuses what is not a valid reply
address, reads the message without trusting it, and attaches its text and files to the
demand's timeline, once per Message-ID and town."""

import hashlib
import logging
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from email.utils import parseaddr

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tenants.utils import schema_context

from tenant_apps.correspondence.addresses import UnknownAddress, target_of
from tenant_apps.correspondence.enums import MAX_MESSAGE_BYTES, Direction
from tenant_apps.correspondence.mime import body_part, files_of, text_of
from tenant_apps.correspondence.models import Attachment, DemandEmail, private_dir
from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import Demand

logger = logging.getLogger(__name__)


class TooBig(Exception):
    """The message is over MAX_MESSAGE_BYTES."""


@dataclass
class Outcome:
    """What became of one message for one recipient."""

    recipient: str
    email: DemandEmail | None = None
    duplicate: bool = False
    refused: str = ""


def log_refusal(address, reason, peer=""):
    # The token's first characters and the reason: enough to spot a pattern, no address
    # book or message content in the logs.
    local = address.partition("@")[0][:20]
    logger.warning("Courriel entrant refusé (%s) pour %s… %s", reason, local, peer)


def replied_demands(demand_id):
    """The live demand a reply to `demand_id` belongs to: itself, or the demand it was
    merged into (an email sent before the merge names the merged one); never erased."""
    merged_into = Demand.all_objects.filter(pk=demand_id).values("merged_into")
    return Demand.objects.not_erased().filter(Q(pk=demand_id) | Q(pk__in=merged_into))


def check_recipient(address, peer=""):
    """The town schema and demand id of a reply address whose demand (or the one it was
    merged into) exists and is not erased; raises UnknownAddress (logged) otherwise.
    Called at RCPT time."""
    try:
        target = target_of(address)
        with schema_context(target.schema_name):
            if not replied_demands(target.demand_id).exists():
                raise UnknownAddress("demande inconnue ou effacée")
    except UnknownAddress as reason:
        log_refusal(address, reason, peer)
        raise
    return target


def message_id_of(message, raw):
    """The Message-ID, or a digest of the raw bytes when the sender gave none (then the
    same bytes delivered twice are recognised)."""
    try:
        value = str(message.get("Message-ID", "") or "").strip()
    except Exception:  # noqa: BLE001 — an unreadable header counts as none
        value = ""
    return value[:255] or f"sha256:{hashlib.sha256(raw).hexdigest()}"


def header(message, name):
    try:
        return str(message.get(name, "") or "")
    except Exception:  # noqa: BLE001 — a broken header is left out, never a crash
        return ""


def receive(raw, recipients, peer=""):
    """Attach `raw` (the message's bytes) to the demand of each valid reply address among
    `recipients`; returns one Outcome per recipient. Raises TooBig."""
    if len(raw) > MAX_MESSAGE_BYTES:
        raise TooBig
    message = BytesParser(policy=policy.default).parsebytes(raw)
    outcomes = []
    for recipient in recipients:
        try:
            target = check_recipient(recipient, peer)
        except UnknownAddress as reason:
            outcomes.append(Outcome(recipient, refused=str(reason)))
            continue
        with schema_context(target.schema_name):
            outcomes.append(attach(message, raw, target.demand_id, recipient))
    return outcomes


def attach(message, raw, demand_id, recipient):
    """Inside the town: record the reply on the demand, once."""
    message_id = message_id_of(message, raw)
    if DemandEmail.objects.filter(message_id=message_id).exists():
        return Outcome(recipient, duplicate=True)
    body = body_part(message)
    text = text_of(message, body)
    files, refused = files_of(message, body)
    written = []
    try:
        with transaction.atomic():
            demand = replied_demands(demand_id).select_for_update().first()
            if demand is None:
                return Outcome(recipient, refused="demande effacée entre-temps")
            sender_name, sender = parseaddr(header(message, "From"))
            subject = header(message, "Subject").strip()[:255] or "(sans objet)"
            email = DemandEmail.objects.create(
                demand=demand,
                direction=Direction.IN,
                subject=subject,
                body=text,
                from_address=sender[:320],
                message_id=message_id,
                refused_files=refused,
            )
            folder = private_dir()
            folder.mkdir(parents=True, exist_ok=True)
            for file_name, content_type, data in files:
                attachment = Attachment(
                    email=email,
                    file_name=file_name,
                    content_type=content_type,
                    size=len(data),
                    stored_name=Attachment.new_stored_name(),
                )
                with open(attachment.path, "xb") as stored:
                    written.append(attachment.path)
                    stored.write(data)
                attachment.save()
            from_porteur = sender.lower() == demand.applicant.email.lower()
            if from_porteur:
                demand.applicant_seen_at = timezone.now()
                demand.save(update_fields=["applicant_seen_at", "updated_at"])
            email.event = demand.record(
                EventKind.EMAIL_RECEIVED,
                timeline_text(email, files, refused),
                actor="porteur" if from_porteur else (sender_name or sender)[:100],
                visible_to_applicant=False,
            )
            email.save(update_fields=["event"])
    except IntegrityError:
        # The same Message-ID, delivered at the same moment by another connection.
        remove(written)
        return Outcome(recipient, duplicate=True)
    except BaseException:
        remove(written)
        raise
    return Outcome(recipient, email=email)


def timeline_text(email, files, refused):
    """The history line: who, what about, the text, the files kept and refused."""
    lines = [f"De : {email.from_address}", f"Objet : {email.subject}", "", email.body]
    if files:
        lines += ["", "Pièces jointes : " + ", ".join(name for name, _, _ in files)]
    if refused:
        lines += ["", "Pièces jointes refusées : " + " ; ".join(refused)]
    return "\n".join(lines).strip()


def remove(paths):
    for path in paths:
        path.unlink(missing_ok=True)
