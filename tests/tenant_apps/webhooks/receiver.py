"""A real HTTP receiver of webhooks on 127.0.0.1, for the tests (in a thread) and the
bench (in a process of its own): it records what it receives and answers `status` after
`delay` seconds. Given the endpoint's secret, it verifies each signature with the
`standardwebhooks` package, as an integrator would."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as most servers

    def setup(self):
        super().setup()
        # The status line and the body leave in two writes: without this, Nagle's
        # algorithm holds the body until the sender's delayed ACK (40 ms a request).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self):  # noqa: N802 — http.server's name
        receiver = self.server.receiver
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {name.lower(): value for name, value in self.headers.items()}
        receiver.record(self.path, headers, body)
        if receiver.delay:
            receiver.release.wait(receiver.delay)
        answer = receiver.answer.encode()
        try:
            self.send_response(receiver.status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sender gave up waiting (timeout)

    def do_GET(self):  # noqa: N802 — the bench's figures: GET /stats
        answer = json.dumps(self.server.receiver.stats()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format, *args):
        pass


class Receiver:
    """`with Receiver(status=500) as receiver:` then `receiver.url`, `receiver.requests`
    (a list of (headers, body)); `receiver.status` may change between deliveries."""

    def __init__(self, status=200, delay=0, secret=None, answer="reçu", port=0):
        self.status, self.delay, self.secret, self.answer = status, delay, secret, answer
        self.port = port
        self.requests = []
        self.ids = {}
        self.bad_signatures = 0
        self.lock = threading.Lock()
        self.release = threading.Event()  # set at exit: a slow answer stops waiting

    def record(self, path, headers, body):
        verified = True
        if self.secret:
            try:
                Webhook(self.secret).verify(body, headers)
            except WebhookVerificationError:
                verified = False
        with self.lock:
            if self.requests is not None:  # None: the bench keeps counts only
                self.requests.append((headers, body))
            # An event goes to each endpoint with the same id: counted per endpoint (path).
            key = (path, headers.get("webhook-id", ""))
            self.ids[key] = self.ids.get(key, 0) + 1
            self.bad_signatures += not verified

    def stats(self):
        with self.lock:
            return {
                "requests": sum(self.ids.values()),
                "unique_ids": len(self.ids),
                "duplicates": sum(count - 1 for count in self.ids.values()),
                "bad_signatures": self.bad_signatures,
            }

    def __enter__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.server.receiver = self
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self):
        return url_of(self.server.server_address[1])

    def payloads(self):
        return [json.loads(body) for _, body in self.requests]


def url_of(port, path="/webhooks"):
    return f"http://127.0.0.1:{port}{path}"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def closed_port_url():
    """The URL of a port nobody listens on (a receiver that is down)."""
    return url_of(free_port())


def serve(port, secret, ready):
    """The bench's receiver, in its own process (the sender keeps the GIL to itself)."""
    with Receiver(secret=secret, port=port) as receiver:
        receiver.requests = None
        ready.set()
        receiver.thread.join()
