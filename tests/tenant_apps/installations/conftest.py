"""A local stub of the "Recherche d'entreprises" API (recorded answers, a 429, a 500, a
hang) and the objects the installed businesses' tests share."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tenant_apps.demands.enums import DemandStatus

RECORDED = Path(__file__).parent / "recorded"
ACTIVE_SIRET = "91234567500017"  # recorded/active.json
CLOSED_SIRET = "85320146500038"  # recorded/closed.json
UNKNOWN_SIRET = "90011122000019"
OTHER_SIRET = "84267913600023"  # valid, answered as the test says


@dataclass
class Directory:
    """What the stub answers: per SIRET, the recorded answer ("active", "closed",
    "unknown"; the SIRET written into it) or an error ("429", "500"), or for every
    request a failure ("429", "500", "slow", "garbage"). `requests` lists (time, SIRET)
    of what it received."""

    answers: dict = field(default_factory=dict)
    failure: str = ""
    requests: list = field(default_factory=list)

    def reset(self):
        self.answers = {ACTIVE_SIRET: "active", CLOSED_SIRET: "closed"}
        self.failure = ""
        self.requests.clear()

    @property
    def asked(self):
        return [siret for _, siret in self.requests]


class StubDirectory(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 — http.server's name
        directory = self.server.directory
        siret = (parse_qs(urlparse(self.path).query).get("q") or [""])[0]
        directory.requests.append((time.time(), siret))
        recorded = directory.answers.get(siret, "unknown")
        failure = directory.failure or (recorded if recorded in ("429", "500") else "")
        if failure == "slow":
            time.sleep(1.5)  # longer than the client's 1 s timeout
        if failure in ("429", "500"):
            name = "too_many_requests" if failure == "429" else "server_error"
            return self.answer(int(failure), (RECORDED / f"{name}.json").read_bytes())
        if failure == "garbage":
            return self.answer(200, b"<html>maintenance</html>")
        body = (RECORDED / f"{recorded}.json").read_text()
        for template in (ACTIVE_SIRET, CLOSED_SIRET):
            body = body.replace(template, siret).replace(f'"{template[:9]}"', f'"{siret[:9]}"')
        self.answer(200, body.encode())

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the client gave up (timeout test): nothing to report


@pytest.fixture(scope="session")
def directory_server():
    server = QuietServer(("127.0.0.1", 0), StubDirectory)
    server.directory = Directory()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def directory(settings, directory_server):
    """The app pointed at the stub (1 s timeout, no rate limit worth waiting for)."""
    settings.ENTREPRISES_API_URL = f"http://127.0.0.1:{directory_server.server_port}/search"
    settings.ENTREPRISES_API_TIMEOUT = 1
    settings.ENTREPRISES_API_RATE = 1000
    directory_server.directory.reset()
    return directory_server.directory


@pytest.fixture
def directory_down(settings):
    settings.ENTREPRISES_API_URL = "http://127.0.0.1:9/search"  # nothing listens there
    settings.ENTREPRISES_API_TIMEOUT = 1


def installed(demand):
    """`demand`, moved to « installé » (as the team would, through « local trouvé »)."""
    demand.transition_to(DemandStatus.PREMISES_FOUND, check=False)
    demand.transition_to(DemandStatus.INSTALLED, check=False)
    return demand
