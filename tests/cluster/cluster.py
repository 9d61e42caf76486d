"""A whole deployment on one machine, for `make test-cluster`, under .local/cluster/:

- PostgreSQL managed by pg_auto_failover: a monitor, a primary and a standby in
  synchronous replication (Debian's postgresql-15-auto-failover);
- Redis: a master, a replica and three sentinels;
- two gunicorn processes (deploy/gunicorn.conf.py) behind one nginx, whose site is
  deploy/nginx/boursoloco.conf with its domain, ports, paths and certificate replaced;
- two rq workers and two schedulers (one is elected, tenants/scheduler.py).

The app's processes are restarted 5 s after they exit, as systemd does for their units
(deploy/systemd: Restart=always, RestartSec=5): an rq worker whose Redis master dies in
the middle of a job exits, and comes back connected to the new master.

Everything listens on 127.0.0.1 on free ports and runs in its own process group, so that
`stop()` ends it all (and the test can SIGKILL one node). As root, PostgreSQL runs as
`nobody`, like bin/services does. Logs are in .local/cluster/logs/.
"""

import atexit
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent.parent
MASTER_NAME = "boursoloco"
TOWN_SLUG = "ville-grappe"
TOWN_SCHEMA = "town_ville_grappe"
DOMAIN = "localhost"
# pg_auto_failover's and Sentinel's detection delays, as used here. pg_auto_failover keeps
# its defaults (a node is unhealthy after 20 s, the old primary gets 30 s to demote);
# Sentinel's down-after is lowered from Debian's 30 s to 5 s.
SENTINEL_DOWN_AFTER_MS = 5000


def pg_bin():
    """Debian's server of the same major version as pg_dump, as bin/services picks it."""
    version = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True).stdout
    major = re.search(r"(\d+)", version).group(1)
    return Path(f"/usr/lib/postgresql/{major}/bin")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def descendants(pid):
    """The processes below `pid`, from /proc."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:  # noqa: BLE001, S110 — not ready yet
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{what}: still not ready after {timeout} s (see .local/cluster/logs/)")


class Cluster:
    def __init__(self, base=ROOT / ".local" / "cluster"):
        self.base = base
        self.logs = base / "logs"
        self.processes = {}  # name -> Popen, each the leader of its own process group
        self.as_root = os.geteuid() == 0
        self.pg_bin = pg_bin()
        names = ["monitor", "pg1", "pg2", "redis1", "redis2", "sentinel1", "sentinel2"]
        names += ["sentinel3", "web1", "web2", "https", "http"]
        self.ports = {name: free_port() for name in names}
        self.units = {}  # name -> (command, env): restarted like a systemd unit
        self.restarts = Counter()
        self.stopping = threading.Event()
        self.supervisor = threading.Thread(target=self.supervise, daemon=True)

    # Processes -----------------------------------------------------------------------

    def supervise(self, restart_after=5):
        exited = {}
        while not self.stopping.wait(0.5):
            for name, (command, env) in list(self.units.items()):
                process = self.processes.get(name)
                if process is None or process.poll() is None:
                    continue
                exited.setdefault(name, time.monotonic())
                if time.monotonic() - exited[name] >= restart_after and not self.stopping.is_set():
                    process.log.close()
                    del exited[name]
                    self.restarts[name] += 1
                    self.spawn(name, command, env)

    def unit(self, name, command, env):
        self.units[name] = (command, env)
        return self.spawn(name, command, env)

    def spawn(self, name, command, env=None, as_pg=False):
        if as_pg:
            command, env = self.pg_command(command), os.environ
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 — closed with the process
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or os.environ,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        process.log = log
        self.processes[name] = process
        return process

    def kill(self, name, sig=signal.SIGKILL):
        """Send `sig` to the whole process group of `name` (a PostgreSQL node: its
        pg_autoctl keeper and its postgres with every backend)."""
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        process.log.close()

    def stop(self):
        """Stop every process started, even after a failure: SIGTERM, then SIGKILL, to
        their process groups and to every descendant (rq's work horses start sessions of
        their own)."""
        self.stopping.set()
        if self.supervisor.is_alive():
            self.supervisor.join()
        stray = {pid for process in self.processes.values() for pid in descendants(process.pid)}
        for name in reversed(list(self.processes)):
            process = self.processes[name]
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for name in list(self.processes):
            process = self.processes.pop(name)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            # The group may outlive its leader (postgres children).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            process.log.close()
        for pid in stray:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    # PostgreSQL under pg_auto_failover --------------------------------------------------

    def pg_env(self):
        pg = self.base / "pg"
        return {
            # pg_autoctl keeps its configuration and state under these.
            "XDG_CONFIG_HOME": str(pg / "config"),
            "XDG_DATA_HOME": str(pg / "data"),
            "XDG_RUNTIME_DIR": str(pg / "run"),
            "HOME": str(pg),
            # Debian's default socket directory belongs to the postgres user.
            "PGHOST": str(pg / "sock"),
            "PGUSER": "postgres",
            "PATH": f"{self.pg_bin}:/usr/bin:/bin",
        }

    def pg_env_list(self):
        return [f"{key}={value}" for key, value in self.pg_env().items()]

    def pg_command(self, command):
        """`command` with pg_autoctl's environment, as nobody when run as root."""
        user = ["runuser", "-u", "nobody", "--"] if self.as_root else []
        return [*user, "env", *self.pg_env_list(), *command]

    def run_pg(self, *command):
        subprocess.run(self.pg_command(command), check=True, capture_output=True)

    def initdb(self, name):
        data = self.base / "pg" / name
        self.run_pg(
            str(self.pg_bin / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(f"unix_socket_directories = '{self.base / 'pg' / 'sock'}'\n")
        return data

    def monitor_url(self):
        port = self.ports["monitor"]
        return f"postgres://autoctl_node@127.0.0.1:{port}/pg_auto_failover?sslmode=disable"

    def query_monitor(self, sql):
        url = f"postgres://postgres@127.0.0.1:{self.ports['monitor']}/pg_auto_failover"
        with psycopg.connect(url, connect_timeout=2, autocommit=True) as conn:
            return conn.execute(sql).fetchall()

    def node_states(self):
        """{node name: (reported state, assigned state)} as the monitor sees them."""
        rows = self.query_monitor(
            "SELECT nodename, reportedstate, goalstate FROM pgautofailover.node"
        )
        return {name: (reported, goal) for name, reported, goal in rows}

    def start_node(self, name):
        data = self.base / "pg" / name
        self.spawn(
            name,
            [
                "pg_autoctl", "create", "postgres", "--pgdata", str(data),
                "--pgport", str(self.ports[name]), "--hostname", "127.0.0.1",
                "--listen", "127.0.0.1", "--auth", "trust", "--no-ssl",
                "--username", "postgres", "--dbname", "boursoloco", "--name", name,
                "--monitor", self.monitor_url(), "--run",
            ],
            as_pg=True,
        )  # fmt: skip

    def start_postgres(self):
        pg = self.base / "pg"
        for sub in ("sock", "config", "data", "run"):
            (pg / sub).mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(pg, "nobody")
            for path in pg.iterdir():
                shutil.chown(path, "nobody")
        monitor = self.initdb("monitor")
        self.spawn(
            "monitor",
            [
                "pg_autoctl", "create", "monitor", "--pgdata", str(monitor),
                "--pgport", str(self.ports["monitor"]), "--hostname", "127.0.0.1",
                "--listen", "127.0.0.1", "--auth", "trust", "--no-ssl", "--run",
            ],
            as_pg=True,
        )  # fmt: skip
        wait_for(lambda: self.query_monitor("SELECT 1"), 60, "pg_auto_failover monitor")
        self.initdb("pg1")
        self.start_node("pg1")
        wait_for(lambda: self.node_states()["pg1"][0] == "single", 90, "primary pg1")
        self.start_node("pg2")

        def standby_ready():
            # pg_basebackup asks for a spread checkpoint, which may take minutes on an
            # idle server: an immediate one makes it start at once.
            with psycopg.connect(self.primary_url(), connect_timeout=2, autocommit=True) as conn:
                conn.execute("CHECKPOINT")
            return self.node_states().get("pg2", ("",))[0] == "secondary"

        wait_for(standby_ready, 120, "standby pg2")
        wait_for(lambda: self.node_states()["pg1"][0] == "primary", 60, "synchronous primary pg1")

    def database_url(self, **options):
        hosts = ",".join(f"127.0.0.1:{self.ports[name]}" for name in ("pg1", "pg2"))
        query = "&".join(f"{key}={value}" for key, value in options.items())
        return f"postgres://postgres@{hosts}/boursoloco?{query}"

    def primary_url(self):
        return self.database_url(target_session_attrs="read-write", connect_timeout=2)

    def primary_node(self):
        """The node that accepts writes, asked of PostgreSQL itself (the monitor goes on
        reporting a dead primary as such until it hears from it again)."""
        with psycopg.connect(self.primary_url(), autocommit=True) as conn:
            port = int(conn.execute("SHOW port").fetchone()[0])
        return next(name for name in ("pg1", "pg2") if self.ports[name] == port)

    # Redis and Sentinel ----------------------------------------------------------------

    def start_redis(self):
        for index, name in enumerate(("redis1", "redis2")):
            directory = self.base / name
            directory.mkdir()
            command = [
                "redis-server", "--bind", "127.0.0.1", "--port", str(self.ports[name]),
                "--dir", str(directory), "--save", "", "--appendonly", "yes",
            ]  # fmt: skip
            if index:
                command += ["--replicaof", "127.0.0.1", str(self.ports["redis1"])]
            self.spawn(name, command)
        for name in ("sentinel1", "sentinel2", "sentinel3"):
            directory = self.base / name
            directory.mkdir()
            conf = directory / "sentinel.conf"  # Sentinel rewrites it: its own copy
            conf.write_text(
                f"bind 127.0.0.1\nport {self.ports[name]}\ndir {directory}\n"
                f"sentinel monitor {MASTER_NAME} 127.0.0.1 {self.ports['redis1']} 2\n"
                f"sentinel down-after-milliseconds {MASTER_NAME} {SENTINEL_DOWN_AFTER_MS}\n"
                f"sentinel failover-timeout {MASTER_NAME} 30000\n"
            )
            self.spawn(name, ["redis-server", str(conf), "--sentinel"])
        wait_for(lambda: self.sentinel_count() == 3, 30, "three sentinels")

    def sentinel(self):
        import redis.sentinel

        return redis.sentinel.Sentinel(
            [("127.0.0.1", self.ports[f"sentinel{i}"]) for i in (1, 2, 3)],
            sentinel_kwargs={"socket_timeout": 1},
            socket_timeout=2,
        )

    def sentinel_count(self):
        import redis

        client = redis.Redis(port=self.ports["sentinel1"], socket_timeout=1)
        master = client.sentinel_master(MASTER_NAME)
        return master["num-other-sentinels"] + 1 if master["num-slaves"] == 1 else 0

    def redis_master(self):
        """The name (redis1, redis2) of the server the sentinels call master."""
        _, port = self.sentinel().discover_master(MASTER_NAME)
        return next(name for name in ("redis1", "redis2") if self.ports[name] == port)

    def redis(self):
        return self.sentinel().master_for(MASTER_NAME)

    # The app -------------------------------------------------------------------------

    def app_env(self):
        sentinels = ",".join(f"127.0.0.1:{self.ports[f'sentinel{i}']}" for i in (1, 2, 3))
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTEST", "DJANGO", "REDIS", "DATABASE", "GUNICORN"))
        }
        return {
            **env,
            "DJANGO_SETTINGS_MODULE": "boursoloco.settings",
            "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
            "PYTHONUNBUFFERED": "1",
            "DEBUG": "false",
            "SECRET_KEY": self.secret_key,
            "BASE_DOMAIN": DOMAIN,
            "SITE_SCHEME": "https",
            "SITE_PORT": str(self.ports["https"]),
            "DATABASE_URL": self.primary_url(),
            "REDIS_URL": "redis://sentinel/0",
            "REDIS_SENTINELS": sentinels,
            "REDIS_SENTINEL_MASTER": MASTER_NAME,
            "EMAIL_URL": f"file://{self.base / 'mail'}",
            "MEDIA_ROOT": str(self.base / "media"),
            "PRIVATE_ROOT": str(self.base / "private"),
            "STATIC_ROOT": str(self.base / "static"),
            "GEOCODER_URL": "",
            "SENTRY_DSN": "",
            "PROCONNECT_ISSUER": "",
            "LOG_LEVEL": "WARNING",
            # Every porteur comes through nginx from 127.0.0.1.
            "DEMAND_SUBMISSIONS_PER_HOUR": "1000000",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_THREADS": "2",
            "MIGRATION_PROCESSES": "1",
        }

    def manage(self, *args, timeout=600):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.app_env(),
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start_app(self):
        env = self.app_env()
        for name in ("web1", "web2"):
            self.unit(
                name,
                [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{self.ports[name]}"},
            )
        for name in ("worker1", "worker2"):
            command = ["manage.py", "rqworker", "default", "emails", "scheduled"]
            self.unit(name, [sys.executable, *command, "--worker-ttl", "60"], env=env)
        for name in ("scheduler1", "scheduler2"):
            self.unit(name, [sys.executable, "manage.py", "run_scheduler"], env=env)
        self.supervisor.start()
        self.start_nginx()
        for name in ("web1", "web2", "https"):
            wait_for(lambda name=name: listening(self.ports[name]), 60, name)

    def start_nginx(self):
        directory = self.base / "nginx"
        for sub in ("tmp", "static", "media"):
            (directory / sub).mkdir(parents=True, exist_ok=True)
        cert, key = directory / "cert.pem", directory / "key.pem"
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", f"/CN={DOMAIN}", "-addext", f"subjectAltName=DNS:{DOMAIN},DNS:*.{DOMAIN}",
                "-keyout", str(key), "-out", str(cert),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        (directory / "site.conf").write_text(self.nginx_site(cert, key))
        user = "user nobody nogroup;\n" if self.as_root else ""
        (directory / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 2;\npid {directory / 'nginx.pid'};\n"
            f"error_log {self.logs / 'nginx-error.log'} warn;\n"
            "events { worker_connections 512; }\n"
            "http {\n  include /etc/nginx/mime.types;\n"
            f"  access_log {self.logs / 'nginx-access.log'};\n"
            + "".join(
                f"  {kind}_temp_path {directory / 'tmp' / kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            )
            + f"  include {directory / 'site.conf'};\n}}\n"
        )
        if self.as_root:
            shutil.chown(directory / "tmp", "nobody")
        command = ["nginx", "-p", str(directory), "-c", str(directory / "nginx.conf")]
        subprocess.run([*command, "-t"], check=True, capture_output=True)
        self.spawn("nginx", command)

    def nginx_site(self, cert, key):
        """deploy/nginx/boursoloco.conf as an administrator would install it here."""
        site = (ROOT / "deploy" / "nginx" / "boursoloco.conf").read_text()
        http, https = self.ports["http"], self.ports["https"]
        site = site.replace(r"example\.gouv\.fr", re.escape(DOMAIN))
        site = site.replace("example.gouv.fr", DOMAIN)
        site = re.sub(r"\n\s*listen \[::\]:[^\n]*", "", site)
        site = site.replace("listen 80", f"listen 127.0.0.1:{http}")
        site = site.replace("listen 443", f"listen 127.0.0.1:{https}")
        site = re.sub(r"ssl_certificate .*;", f"ssl_certificate {cert};", site)
        site = re.sub(r"ssl_certificate_key .*;", f"ssl_certificate_key {key};", site)
        site = site.replace("/srv/boursoloco/static/", f"{self.base / 'nginx' / 'static'}/")
        site = site.replace("/srv/boursoloco/media/", f"{self.base / 'media'}/")
        upstream = "".join(
            f"server 127.0.0.1:{self.ports[name]};\n    " for name in ("web1", "web2")
        )
        site, count = re.subn(r"server 127\.0\.0\.1:8001;\n\s*", upstream, site, count=1)
        assert count == 1, "deploy/nginx/boursoloco.conf: no upstream server line"
        return site

    # The whole -------------------------------------------------------------------------

    def start(self):
        if self.base.exists():
            shutil.rmtree(self.base)
        self.logs.mkdir(parents=True)
        (self.base / "mail").mkdir()
        self.secret_key = secrets.token_urlsafe(60)
        atexit.register(self.stop)
        timings = {}
        began = time.monotonic()
        self.start_postgres()
        timings["postgres"] = time.monotonic() - began
        self.start_redis()
        began = time.monotonic()
        self.manage("migrate_schemas", "--verbosity", "0")
        self.manage("provision_town", TOWN_SLUG, "Ville Grappe", "--status", "open")
        timings["migrate"] = time.monotonic() - began
        began = time.monotonic()
        self.start_app()
        timings["app"] = time.monotonic() - began
        return timings
