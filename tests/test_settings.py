"""Settings: production passes `check --deploy`; bad values stop the start, clearly."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


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
