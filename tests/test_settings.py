"""Settings: production passes `check --deploy`; bad values stop the start, clearly."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def run_manage(*args, **env):
    full_env = {
        **os.environ,
        "PYTHONPATH": f"{settings.BASE_DIR / 'src'}:{settings.BASE_DIR}",
        "DJANGO_SETTINGS_MODULE": "boursoloco.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=full_env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(60),
        BASE_DOMAIN="example.gouv.fr",
        EMAIL_URL="smtp://relay.example.gouv.fr:25",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="false", SECRET_KEY="", EMAIL_URL="console://")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_is_named_in_the_error():
    result = run_manage("check", DEBUG="peut-être")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_a_database_url_that_is_not_postgresql_is_refused():
    result = run_manage("check", DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode != 0
    assert "DATABASE_URL must point to PostgreSQL" in result.stderr


PRODUCTION_HEADERS_SCRIPT = """
import json
import django

django.setup()
from django.test import Client

client = Client(headers={"X-Forwarded-Proto": "https"})
pages = {}
for host, path in [
    ("localhost", "/"),
    ("ville-a.localhost", "/"),
    ("ville-a.localhost", "/demande/"),
    ("ville-a.localhost", "/gestion/"),
    ("ville-a.localhost", "/compte/login/"),
]:
    response = client.get(path, HTTP_HOST=host, secure=True)
    cookies = {name: dict(morsel) for name, morsel in response.cookies.items()}
    pages[host + path] = {"status": response.status_code, **response.headers, "cookies": cookies}
print(json.dumps(pages))
"""


@pytest.mark.django_db
def test_production_responses_carry_the_security_headers():
    """With the production settings (DEBUG off), on the test database: HSTS, CSP with
    frame-ancestors, no framing, secure cookies, on the national site and on a town."""
    result = run_manage(
        "shell",
        "-c",
        PRODUCTION_HEADERS_SCRIPT,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(60),
        BASE_DOMAIN="localhost",
        EMAIL_URL="smtp://relay.example.gouv.fr:25",
        DATABASE_URL=settings.DATABASE_URL.rsplit("/", 1)[0]
        + "/"
        + settings.DATABASES["default"]["NAME"],
        REDIS_URL=settings.REDIS_URL,
    )
    assert result.returncode == 0, result.stderr
    pages = json.loads(result.stdout.strip().splitlines()[-1])
    for page, headers in pages.items():
        assert headers["status"] in (200, 302), page
        assert headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), page
        policy = directives(headers["Content-Security-Policy"])
        assert policy["default-src"] == "'self'", page
        assert policy["script-src"] == "'self'", page
        assert "unsafe-inline" not in headers["Content-Security-Policy"], page
        assert policy["object-src"] == "'none'", page
        assert headers["X-Content-Type-Options"] == "nosniff", page
        assert headers["Referrer-Policy"] == "same-origin", page
        for name, cookie in headers["cookies"].items():
            assert cookie["secure"] is True, f"{page}: cookie {name} not Secure"
    # Nothing may frame the pages, except the form for the sites a town declares.
    form = pages.pop("ville-a.localhost/demande/")
    assert directives(form["Content-Security-Policy"])["frame-ancestors"] == "'self'"
    for page, headers in pages.items():
        assert directives(headers["Content-Security-Policy"])["frame-ancestors"] == "'none'"
        assert headers["X-Frame-Options"] == "DENY", page
    assert pages["ville-a.localhost/compte/login/"]["cookies"], "no cookie checked"


def directives(policy):
    return dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )


def test_a_multi_host_database_url_names_every_server_for_libpq():
    from boursoloco.settings import database_config

    config = database_config(
        "postgres://app:s%40cret@db-1:5433,db-2,[::1]:5434/boursoloco"
        "?target_session_attrs=read-write&connect_timeout=3"
    )
    assert config["HOST"] == "db-1,db-2,::1"
    assert config["PORT"] == "5433,5432,5434"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("boursoloco", "app", "s@cret")
    assert config["OPTIONS"] == {"target_session_attrs": "read-write", "connect_timeout": 3}
    assert config["CONN_MAX_AGE"] == 60


def test_a_bad_host_in_the_list_is_named():
    from boursoloco.settings import database_config

    with pytest.raises(ImproperlyConfigured, match="db-2:cinq"):
        database_config("postgres://app@db-1:5432,db-2:cinq/boursoloco")


def test_redis_sentinels_configure_the_queues_and_the_cache():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; import json; print(json.dumps("
        "[settings.RQ_QUEUES['emails'], settings.CACHES['default']['OPTIONS']]))",
        REDIS_SENTINELS="s1:26379,s2:26380",
        REDIS_SENTINEL_MASTER="principal",
        REDIS_URL="redis://:motdepasse@ignored:6379/4",
    )
    assert result.returncode == 0, result.stderr
    queue, cache = json.loads(result.stdout.strip().splitlines()[-1])
    assert "URL" not in queue
    assert queue["SENTINELS"] == [["s1", 26379], ["s2", 26380]]
    assert (queue["MASTER_NAME"], queue["DB"], queue["PASSWORD"]) == ("principal", 4, "motdepasse")
    assert cache["sentinels"] == [["s1", 26379], ["s2", 26380]]
    assert (cache["master_name"], cache["db"]) == ("principal", 4)


def test_a_sentinel_without_port_is_refused():
    result = run_manage("check", REDIS_SENTINELS="s1")
    assert result.returncode != 0
    assert "REDIS_SENTINELS: expected host:port, got 's1'" in result.stderr
