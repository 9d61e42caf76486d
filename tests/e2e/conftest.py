"""Browser journeys: a real app server (web + rq worker) on a free port and headless
Chromium driven by Playwright.

Per xdist worker and per session: a dedicated database `<DATABASE_URL's name>_e2e_<n>`
(dropped and rebuilt: migrate_schemas, referential, tests/e2e/seed.py), a web server and
a worker as subprocesses, and a directory where the file email backend writes what the
tests read to follow links.

Redis: the suite's workers use REDIS_URL's database + 1 + worker index (tests/conftest.py);
the e2e servers use the databases after all of those: base + 1 + worker count + index
(default run, REDIS_URL unset, 2 workers: tests on 1 and 2, e2e servers on 3 and 4).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import dj_database_url
import pytest
import redis
from django.conf import settings
from playwright.sync_api import sync_playwright

from tests.e2e.pages import App

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 60


def _worker_index():
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def _redis_url():
    base = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    server, _, first = base.rpartition("/")
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    index = int(first or 0) + 1 + workers + _worker_index()
    if index > 15:
        raise RuntimeError(
            f"The e2e server would need Redis database {index}; Redis has 16 (0-15). "
            "Use a lower REDIS_URL database or fewer xdist workers."
        )
    return f"{server}/{index}"


def _database_url():
    parsed = dj_database_url.parse(settings.DATABASE_URL)
    name = f"{parsed['NAME']}_e2e_{_worker_index()}"
    base = settings.DATABASE_URL.rsplit("/", 1)[0]
    return name, f"{base}/{name}", parsed


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _admin_connection(parsed):
    import psycopg

    return psycopg.connect(
        host=parsed["HOST"] or "127.0.0.1",
        port=parsed["PORT"] or 5432,
        user=parsed["USER"],
        password=parsed["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _drop_database(name, parsed):
    with _admin_connection(parsed) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _recreate_database(name, parsed):
    _drop_database(name, parsed)
    with _admin_connection(parsed) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')


def _logs(directory):
    return "\n".join(f"--- {path.name}\n{path.read_text()[-3000:]}" for path in directory.glob("*"))


def _wait_until_healthy(url, processes, logs):
    deadline = time.monotonic() + START_TIMEOUT
    last = None
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args} exited:\n{_logs(logs)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:  # 503 until the worker's first heartbeat
            last = error
            error.close()
        except (urllib.error.URLError, ConnectionError) as error:
            last = error
        time.sleep(0.2)  # polling a port: there is nothing to wait on but the port itself
    raise RuntimeError(f"{url} not healthy after {START_TIMEOUT} s: {last}\n{_logs(logs)}")


def _wait_until_listening(port, processes, logs):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args} exited:\n{_logs(logs)}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)  # polling a port, as above
    raise RuntimeError(f"Nothing listens on {port} after {START_TIMEOUT} s:\n{_logs(logs)}")


@pytest.fixture(scope="session")
def app(local_proconnect):
    """The running app: web server, worker, email directory and what the seed created."""
    name, database_url, parsed = _database_url()
    port, mail_port = _free_port(), _free_port()
    outbox = Path(tempfile.mkdtemp(prefix="boursoloco-e2e-mail-"))
    media = Path(tempfile.mkdtemp(prefix="boursoloco-e2e-media-"))
    env = {
        **os.environ,
        "PYTHONPATH": f"{settings.BASE_DIR / 'src'}:{settings.BASE_DIR}",
        "DJANGO_SETTINGS_MODULE": "boursoloco.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": _redis_url(),
        "BASE_DOMAIN": "localhost",
        "SITE_PORT": str(port),
        "SITE_SCHEME": "http",
        "EMAIL_URL": f"file://{outbox}",
        "MEDIA_ROOT": str(media),
        "PRIVATE_ROOT": str(media / "private"),
        "DEBUG": "true",
        "LOG_LEVEL": "WARNING",
        "MIGRATION_PROCESSES": "1",
        # Replies by email: the SMTP listener below, for addresses reponse+…@this domain.
        "INBOUND_EMAIL_DOMAIN": "reponse.localhost",
        # No test reaches the internet: no geocoding, no map tiles, and the SIRET look-up
        # pointed at a closed local port (the forms fall back to typing).
        "GEOCODER_URL": "",
        "MAP_TILES_URL": "",
        "ENTREPRISES_API_URL": "http://127.0.0.1:9/search",
        # ProConnect: the local stand-in, a real OpenID provider (tests/proconnect_local.py).
        **local_proconnect.settings(),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]

    def run(*args):
        result = subprocess.run(
            args, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=300
        )
        if result.returncode:
            raise RuntimeError(f"{args} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    _recreate_database(name, parsed)
    run(*manage, "migrate_schemas", "--verbosity", "0")
    run(*manage, "load_referential", "--if-empty")
    seeded = json.loads(run(sys.executable, "-m", "tests.e2e.seed").strip().splitlines()[-1])
    with redis.Redis.from_url(env["REDIS_URL"]) as connection:
        connection.flushdb()

    logs = Path(tempfile.mkdtemp(prefix="boursoloco-e2e-logs-"))
    commands = {
        "web": [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        "worker": [
            *manage,
            "rqworker",
            "default",
            "emails",
            "scheduled",
            "webhooks",
            "--with-scheduler",
            "--worker-ttl",
            "60",
        ],
        "mail": [*manage, "receive_mail", "--host", "127.0.0.1", "--port", str(mail_port)],
    }
    log_files = [(logs / f"{name}.log").open("w") for name in commands]
    processes = [
        subprocess.Popen(
            command, env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT
        )
        for command, log in zip(commands.values(), log_files, strict=True)
    ]
    try:
        _wait_until_healthy(f"http://127.0.0.1:{port}/healthz", processes, logs)
        _wait_until_listening(mail_port, processes, logs)
        yield App(port=port, outbox=outbox, seeded=seeded, logs=logs, mail_port=mail_port)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in log_files:
            log.close()
        shutil.rmtree(outbox, ignore_errors=True)
        shutil.rmtree(media, ignore_errors=True)
        shutil.rmtree(logs, ignore_errors=True)
        _drop_database(name, parsed)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module. Not per session: while Playwright's sync API is
    alive its event loop counts as running, and Django would refuse the ORM calls of the
    non-browser tests that xdist runs on this worker in between."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def desktop(browser, app):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    context.set_default_timeout(10_000)
    yield app.watch(context.new_page())
    context.close()


@pytest.fixture
def phone(browser, app):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="fr-FR",
    )
    context.set_default_timeout(10_000)
    yield app.watch(context.new_page())
    context.close()
