"""Porteurs filling the demand form through nginx, continuously, in threads: each journey is
a new porteur (cookies, email) going through every step, then reading its reference."""

import http.client
import re
import socket
import ssl
import threading
import time
import urllib.parse

from tests.tenant_apps.demands.helpers import CONTACT, PREMISES, PROJECT, SUPPORT

STEPS = {
    "/demande/": PROJECT,
    "/demande/local/": PREMISES,
    "/demande/accompagnement/": SUPPORT,
    "/demande/contact/": CONTACT,
}
DONE = "/demande/envoyee/"
REFERENCE = re.compile(r"Sa référence : <strong>([^<]+)</strong>")


class TownConnection(http.client.HTTPSConnection):
    """HTTPS to nginx on 127.0.0.1, with the town's name in SNI and Host (*.localhost
    does not resolve here)."""

    def connect(self):
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class Journey:
    def __init__(self, host, port, email):
        self.host, self.port, self.email = host, port, email
        self.cookies = {}
        self.started = time.monotonic()
        self.ended = None
        self.reference = None
        self.error = None

    def request(self, method, path, data=None):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = TownConnection(self.host, self.port, timeout=30, context=context)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Origin"] = f"https://{self.host}"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.partition(";")[0].strip()
        return response.status, response.getheader("Location", ""), text

    def run(self):
        try:
            status, _, _ = self.request("GET", "/demande/")
            assert status == 200, f"GET /demande/: {status}"
            path = "/demande/"
            for _ in range(len(STEPS)):
                data = STEPS[path]
                if path == "/demande/contact/":
                    data = {**data, "email": self.email}
                status, location, _ = self.request("POST", path, data)
                assert status == 302, f"POST {path}: {status}"
                path = urllib.parse.urlsplit(location).path
                if path == DONE:
                    break
            status, _, text = self.request("GET", DONE)
            found = REFERENCE.search(text)
            assert status == 200 and found, f"GET {DONE}: {status}"
            self.reference = found.group(1)
        except Exception as error:  # noqa: BLE001 — recorded: the test counts failures
            self.error = f"{type(error).__name__}: {error}"
        self.ended = time.monotonic()
        return self


class Load:
    """`clients` porteurs at a time, each starting a new journey as soon as one ends."""

    def __init__(self, host, port, clients=3):
        self.host, self.port, self.clients = host, port, clients
        self.journeys = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = []

    def client(self):
        while not self.stopping.is_set():
            with self.lock:
                number = len(self.journeys)
                journey = Journey(self.host, self.port, f"porteur-{number}@example.fr")
                self.journeys.append(journey)
            journey.run()
            if journey.error:
                time.sleep(0.5)  # no busy loop while the app is down

    def start(self):
        self.threads = [
            threading.Thread(target=self.client, daemon=True) for _ in range(self.clients)
        ]
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def finished(self):
        with self.lock:
            return [journey for journey in self.journeys if journey.ended is not None]

    def succeeded(self, started_after=0.0):
        return [j for j in self.finished() if j.reference and j.started >= started_after]

    def failed(self, since=0.0, until=float("inf")):
        return [j for j in self.finished() if j.error and since <= j.started <= until]

    def wait_for_successes(self, count, started_after, timeout):
        """Seconds from `started_after` to the end of the first successful journey that
        began after it, once `count` such journeys succeeded."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = sorted(self.succeeded(started_after), key=lambda j: j.ended)
            if len(done) >= count:
                return done[0].ended - started_after
            time.sleep(0.2)
        raise TimeoutError(f"fewer than {count} submissions succeeded within {timeout} s")
