"""Browser journeys: a real app server (web + rq worker) on a free port and headless
Chromium driven by Playwright.

Per xdist worker and per session: a dedicated database `<DATABASE_URL's name>_e2e_<n>`
(dropped and rebuilt: migrate_schemas, referential, tests/e2e/seed.py), a web server and
a worker as subprocesses, and a directory where the file email backend writes what the
tests read to follow links.

Redis: the e2e servers of each worker use a database of their own, claimed after the
worker's (tests/shared_services.py), released when the session ends.
"""

import hashlib
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
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dj_database_url
import psycopg
import psycopg.sql
import pytest
import redis
from django.conf import settings
from playwright.sync_api import sync_playwright

from tests.e2e.pages import App
from tests.shared_services import claim_redis_database, release_redis, reset_redis

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
    """A Redis database claimed for the e2e servers of this worker (tests/shared_services)."""
    server, _, first = settings.REDIS_URL.rpartition("/")
    owner = f"{os.environ['TEST_REDIS_OWNER']}-e2e"
    return f"{server}/{claim_redis_database(server, int(first) + 1, owner)}", owner


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


def _clone_database(name, template, parsed):
    _drop_database(name, parsed)
    with _admin_connection(parsed) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


# What the e2e database is built from: a change to any of these builds it again.
TEMPLATE_SOURCES = (
    "src",
    "tenants",
    "shared_apps",
    "tenant_apps",
    "tests/e2e/seed.py",
    "tests/factories.py",
)
# The seed writes dates relative to now (tasks due today, deadlines): a template is used
# the day it was built, for two hours at most.
TEMPLATE_MAX_AGE = 2 * 3600


def _template_key():
    digest = hashlib.sha256()
    for source in TEMPLATE_SOURCES:
        path = settings.BASE_DIR / source
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(settings.BASE_DIR)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _template(parsed, run):
    """The e2e database as migrate_schemas, load_referential and the seed leave it, built
    once and cloned by every worker (CREATE DATABASE ... TEMPLATE): (its name, what the
    seed printed, the media the seed wrote). Built under an advisory lock; kept for the
    next run while the code is the same, the day is the same and it is recent."""
    key = _template_key()
    prefix = f"{parsed['NAME']}_e2e_template_"
    name = f"{prefix}{key}"
    media = settings.BASE_DIR / "var" / "e2e-template" / key
    with _admin_connection(parsed) as admin:
        admin.execute("SELECT pg_advisory_lock(hashtext(%s))", [prefix])
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        built = json.loads(row[0]) if row and row[0] else None
        now = datetime.now(ZoneInfo("Europe/Paris"))
        if (
            built
            and built["day"] == now.date().isoformat()
            and now.timestamp() - built["at"] < TEMPLATE_MAX_AGE
            and media.is_dir()
        ):
            return name, built["seeded"], media
        for (stale,) in admin.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"]
        ).fetchall():
            admin.execute(f'DROP DATABASE IF EXISTS "{stale}" WITH (FORCE)')
        shutil.rmtree(media.parent, ignore_errors=True)
        media.mkdir(parents=True)
        admin.execute(f'CREATE DATABASE "{name}"')
        base = settings.DATABASE_URL.rsplit("/", 1)[0]
        env = {
            "DATABASE_URL": f"{base}/{name}",
            "MEDIA_ROOT": str(media),
            "PRIVATE_ROOT": str(media / "private"),
        }
        run("manage.py", "migrate_schemas", "--verbosity", "0", env=env)
        run("manage.py", "load_referential", "--if-empty", env=env)
        seeded = json.loads(run("-m", "tests.e2e.seed", env=env).strip().splitlines()[-1])
        built = {"day": now.date().isoformat(), "at": now.timestamp(), "seeded": seeded}
        admin.execute(f'COMMENT ON DATABASE "{name}" IS {psycopg.sql.quote(json.dumps(built))}')
        admin.execute("SELECT pg_advisory_unlock(hashtext(%s))", [prefix])
        return name, seeded, media


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
    redis_url, redis_owner = _redis_url()
    port, mail_port = _free_port(), _free_port()
    outbox = Path(tempfile.mkdtemp(prefix="boursoloco-e2e-mail-"))
    media = Path(tempfile.mkdtemp(prefix="boursoloco-e2e-media-"))
    env = {
        **os.environ,
        "PYTHONPATH": f"{settings.BASE_DIR / 'src'}:{settings.BASE_DIR}",
        "DJANGO_SETTINGS_MODULE": "boursoloco.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "BASE_DOMAIN": "localhost",
        "SITE_PORT": str(port),
        "SITE_SCHEME": "http",
        "EMAIL_URL": f"file://{outbox}",
        "MEDIA_ROOT": str(media),
        "PRIVATE_ROOT": str(media / "private"),
        "DEBUG": "true",
        "LOG_LEVEL": "WARNING",
        "MIGRATION_PROCESSES": "1",
        # runserver serves each request in a thread of its own: none keeps a connection.
        "CONN_MAX_AGE": "0",
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

    def run(*args, env):
        """Python with `args`, in the app's environment changed by `env`."""
        result = subprocess.run(
            [sys.executable, *args],
            env={**app_env, **env},
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            raise RuntimeError(f"{args} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    app_env = env
    template, seeded, template_media = _template(parsed, run)
    _clone_database(name, template, parsed)
    shutil.copytree(template_media, media, dirs_exist_ok=True)
    with redis.Redis.from_url(redis_url) as connection:
        reset_redis(connection, redis_owner)

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
        with redis.Redis.from_url(redis_url) as connection:
            release_redis(connection, redis_owner)


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
