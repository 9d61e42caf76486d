"""Read the replies a mail server left in a Maildir: each message once, then moved to
cur/ (seen); a message that cannot be attached goes to the Maildir's .quarantine folder."""

import mailbox
import os
from email.utils import getaddresses
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tenant_apps.correspondence.addresses import LOCAL_PREFIX
from tenant_apps.correspondence.inbound import TooBig, receive

# Headers that name the envelope recipient, most reliable first (Postfix writes
# Delivered-To and X-Original-To in a Maildir delivery).
RECIPIENT_HEADERS = ["Delivered-To", "X-Original-To", "To", "Cc"]


def recipients_of(raw):
    """The reply addresses the message was delivered to, read from its headers."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0].decode("latin-1")
    message = mailbox.Message(head + "\n\n")
    found = []
    for name in RECIPIENT_HEADERS:
        for _, address in getaddresses(message.get_all(name, [])):
            local, _, domain = address.lower().rpartition("@")
            if (
                local.startswith(LOCAL_PREFIX)
                and domain == settings.INBOUND_EMAIL_DOMAIN
                and address.lower() not in found
            ):
                found.append(address.lower())
        if found:
            return found
    return found


class Command(BaseCommand):
    help = "Lit les réponses déposées dans un Maildir (new/), puis les range (cur/ ou .quarantine)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        root = Path(path)
        if not (root / "new").is_dir() or not (root / "cur").is_dir():
            raise CommandError(f"{path} n’est pas un Maildir (new/ et cur/ manquent).")
        quarantine = mailbox.Maildir(root, factory=None, create=False).add_folder("quarantine")
        attached = duplicates = quarantined = 0
        # Maildir's own protocol: a message is a file in new/, renamed into cur/ with its
        # flags once read (a rename is atomic: no message is read twice or lost).
        for name in sorted(os.listdir(root / "new")):
            if name.startswith("."):
                continue
            source = root / "new" / name
            raw = source.read_bytes()
            reason = ""
            try:
                outcomes = receive(raw, recipients_of(raw))
            except TooBig:
                outcomes, reason = [], "message trop volumineux"
            if any(outcome.email for outcome in outcomes):
                attached += 1
            elif any(outcome.duplicate for outcome in outcomes):
                duplicates += 1
            else:
                reason = reason or "; ".join(o.refused for o in outcomes) or "aucune adresse"
                quarantine.add(raw)
                source.unlink()
                quarantined += 1
                self.stderr.write(f"{name} mis en quarantaine : {reason}")
                continue
            source.rename(root / "cur" / f"{name.split(':')[0]}:2,S")
        self.stdout.write(
            f"{attached} réponse(s) enregistrée(s), {duplicates} déjà reçue(s), "
            f"{quarantined} en quarantaine."
        )
