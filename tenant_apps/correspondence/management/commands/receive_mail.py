"""Listen for replies by SMTP (or LMTP) on a local port, behind the mail server."""

import signal
import threading

from django.core.management.base import BaseCommand

from tenant_apps.correspondence.smtp import ReplyController


class Command(BaseCommand):
    help = "Reçoit les réponses aux courriels des demandes (SMTP ou LMTP, derrière Postfix)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)
        parser.add_argument("--lmtp", action="store_true", help="LMTP au lieu de SMTP")

    def handle(self, *args, host, port, lmtp, **options):
        controller = ReplyController(host, port, lmtp=lmtp)
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        controller.start()
        protocol = "LMTP" if lmtp else "SMTP"
        self.stdout.write(f"Réception des réponses ({protocol}) sur {host}:{port}")
        try:
            stop.wait()
        finally:
            controller.stop()
