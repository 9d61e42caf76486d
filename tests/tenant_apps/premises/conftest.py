"""A local stub of the BAN geocoder: recorded answers, a server error, a hang."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

RECORDED = Path(__file__).parent / "recorded"


class StubGeocoder(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        self.server.queries.append(parse_qs(url.query))
        mode = url.path.strip("/")
        if mode == "slow":
            time.sleep(1.5)
        if mode == "error":
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"Internal Server Error")
            return
        body = (RECORDED / f"ban_{mode}.json").read_bytes() if mode != "garbage" else b"<html>"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the client gave up (timeout test): nothing to report


@pytest.fixture(scope="session")
def geocoder_server():
    server = QuietServer(("127.0.0.1", 0), StubGeocoder)
    server.queries = []
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def geocoder(settings, geocoder_server):
    """geocoder("found" | "unsure" | "nothing" | "error" | "slow" | "garbage") points the
    app at the stub answering that way; returns the queries the stub received."""
    geocoder_server.queries.clear()

    def use(mode):
        host, port = geocoder_server.server_address
        settings.GEOCODER_URL = f"http://{host}:{port}/{mode}/"
        settings.GEOCODER_TIMEOUT = 0.5
        return geocoder_server.queries

    return use


def recorded(name):
    return json.loads((RECORDED / f"ban_{name}.json").read_text())
