"""Tools for fault tests: private servers, worker subprocesses, a counting SMTP sink.

Everything here runs on 127.0.0.1 only, on free ports, and is stopped by the fixtures of
tests/faults/conftest.py even when a test fails.

- `RedisServer`: a private redis-server (never the machine's shared one) that a test may
  stop and start again on the same port.
- `SmtpSink`: a tiny SMTP server in a thread. It records each message it acknowledges
  (`subjects()`), and can hold the n-th message before acknowledging it
  (`hold_at(n)`, `wait_until_held()`, `release()`), so that a test kills the sender at
  that exact point: in the middle of an SMTP transaction, after n - 1 emails went out.
  A held message is then refused (451): unacknowledged, it was never delivered.
- `app_env(**overrides)`: the environment for a subprocess of the app on this test
  process's database and Redis database (`DATABASE_URL`, `REDIS_URL`, `EMAIL_URL`...).
- `start_worker(queues, env)`: a real `manage.py rqworker` subprocess in its own process
  group (the worker and its work horse); `kill(process)` sends SIGKILL to the group.
- `start_gunicorn(env)`: the app under deploy/gunicorn.conf.py on a free port.

Example — a worker killed while it sends a batch (see test_worker_killed.py):

    sink.hold_at(4)
    worker = start_worker(["emails"], app_env(EMAIL_URL=sink.url))
    sink.wait_until_held()        # the 4th email is being sent
    kill(worker)                  # SIGKILL, worker and work horse
    sink.release()
    ... re-run: start_worker(..., burst) then the catch-up, and count sink.subjects().

Data a subprocess must see has to be committed: such tests use the `committed_db`
fixture (tests/conftest.py) and remove what they created.
"""

import collections
import contextlib
import email
import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from email.header import decode_header, make_header
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout=20, interval=0.05, message="condition"):
    """Poll `condition()` until it is truthy; returns its value, fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")


# Redis --------------------------------------------------------------------------------


class RedisServer:
    """A private redis-server on a free port, with its append-only file in `directory` so
    that what was queued survives a stop and start, as with production's persistence."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--dir", str(self.directory), "--appendonly", "yes", "--save", ""]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for(self.answers, message="redis-server to start")

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


# SMTP ---------------------------------------------------------------------------------


class _SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        sink = self.server.sink
        self.reply("220 sink ESMTP")
        while line := self.rfile.readline():
            verb = line.decode("latin-1").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                if sink.accept(b"".join(lines)):
                    self.reply("250 accepted")
                else:
                    self.reply("451 aborted")
                    return
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.reply("250 OK")


class SmtpSink:
    """A local SMTP server recording what it acknowledges; see the module docstring."""

    def __init__(self):
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
        self.server.daemon_threads = True
        self.server.sink = self
        self.port = self.server.server_address[1]
        self.messages = []
        self.received = 0
        self.lock = threading.Lock()
        self._hold_at = None
        self._held = threading.Event()
        self._released = threading.Event()

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self._released.set()
        self.server.shutdown()
        self.server.server_close()

    def hold_at(self, number):
        """Hold the `number`-th message received (1-based) until release(), then refuse it."""
        self._hold_at = number

    def wait_until_held(self, timeout=30):
        assert self._held.wait(timeout), "the sender never reached the held message"

    def release(self):
        self._released.set()

    def accept(self, raw):
        with self.lock:
            self.received += 1
            hold = self.received == self._hold_at
        if hold:
            self._held.set()
            self._released.wait(60)
            return False
        with self.lock:
            self.messages.append(email.message_from_bytes(raw))
        return True

    def subjects(self):
        with self.lock:
            return [str(make_header(decode_header(m["Subject"]))) for m in self.messages]

    def counts(self):
        return collections.Counter(self.subjects())


# Subprocesses of the app ----------------------------------------------------------------


def database_url():
    """This test process's database (its xdist worker's), for a subprocess."""
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    return (
        f"postgres://{params['USER']}{password}@{params['HOST'] or '127.0.0.1'}:"
        f"{params['PORT'] or 5432}/{params['NAME']}"
    )


def app_env(**overrides):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": "console://",
        "DEBUG": "true",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    env.update(overrides)
    return env


def start_worker(queues, env, burst=False):
    """A real rq worker (`manage.py rqworker`) in its own process group."""
    command = [sys.executable, "manage.py", "rqworker", *queues]
    if burst:
        command.append("--burst")
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def kill(process):
    """SIGKILL an rq worker and the work horse it forked. The horse leaves the worker's
    process group (rq calls setpgrp), so its own group is killed too — after the worker:
    a worker that saw its horse die first would dequeue the next job, then die with it
    in hand (neither sent nor left in the queue)."""
    if process.poll() is None:
        children = subprocess.run(
            ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
        ).stdout.split()
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(process.pid, signal.SIGKILL)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(int(child), signal.SIGKILL)
    process.wait(timeout=10)


def start_gunicorn(env, workers=1, threads=2):
    """The app under deploy/gunicorn.conf.py on a free port; returns (process, port)."""
    port = free_port()
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )

    def answers():
        assert process.poll() is None, f"gunicorn exited with {process.returncode}"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")
                return sock.recv(12).startswith(b"HTTP/1.")
        except OSError:
            return False

    try:
        wait_for(answers, timeout=30, message="gunicorn to answer")
    except BaseException:
        kill(process)
        raise
    return process, port


def waiting_on(cursor, table):
    cursor.execute(
        "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = %s::regclass", [table]
    )
    return cursor.fetchone()[0]
