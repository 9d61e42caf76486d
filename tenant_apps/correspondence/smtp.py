"""The SMTP (or LMTP) listener that the mail server hands replies to (aiosmtpd): unknown
or forged reply addresses are refused at RCPT time (550), messages over the size limit at
DATA time (552), and each accepted message goes through inbound.receive."""

import asyncio
import logging

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP
from django.db import connections

from tenant_apps.correspondence.addresses import UnknownAddress
from tenant_apps.correspondence.enums import MAX_MESSAGE_BYTES
from tenant_apps.correspondence.inbound import TooBig, check_recipient, receive

logger = logging.getLogger(__name__)
# aiosmtpd logs every command of every connection at INFO: addresses and all. Our own
# lines say what matters (refusals, failures).
logging.getLogger("mail.log").setLevel(logging.WARNING)


def in_thread(function, *args):
    """Run Django code off the event loop, in a worker thread whose database connection
    is closed afterwards (a listener runs for months)."""

    def run():
        try:
            return function(*args)
        finally:
            connections.close_all()

    return asyncio.get_running_loop().run_in_executor(None, run)


class ReplyHandler:
    def __init__(self, lmtp=False):
        self.lmtp = lmtp

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.lmtp and envelope.rcpt_tos:
            # LMTP answers DATA once per recipient; one recipient per transaction keeps
            # that simple (Postfix: lmtp_destination_recipient_limit = 1, or it retries).
            return "452 4.5.3 Une seule adresse par transaction"
        peer = session.peer[0] if session.peer else ""
        try:
            await in_thread(check_recipient, address, peer)
        except UnknownAddress:
            return "550 5.1.1 Adresse de reponse inconnue"
        except Exception:
            logger.exception("Vérification d’une adresse de réponse impossible")
            return "451 4.3.0 Erreur temporaire, reessayez plus tard"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        peer = session.peer[0] if session.peer else ""
        try:
            outcomes = await in_thread(
                receive, envelope.original_content, list(envelope.rcpt_tos), peer
            )
        except TooBig:
            return "552 5.3.4 Message trop volumineux"
        except Exception:
            # The sending server keeps the message and tries again later.
            logger.exception("Courriel entrant non enregistré")
            return "451 4.3.0 Erreur temporaire, reessayez plus tard"
        if not any(outcome.email or outcome.duplicate for outcome in outcomes):
            return "550 5.1.1 Adresse de reponse inconnue"
        return "250 Message accepte"


class ReplyController(Controller):
    def __init__(self, hostname, port, lmtp=False):
        super().__init__(
            ReplyHandler(lmtp=lmtp),
            hostname=hostname,
            port=port,
            data_size_limit=MAX_MESSAGE_BYTES,
            server_hostname="boursoloco",
        )
        self.lmtp = lmtp

    def factory(self):
        server_class = LMTP if self.lmtp else SMTP
        return server_class(self.handler, **self.SMTP_kwargs)
