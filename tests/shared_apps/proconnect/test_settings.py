"""ProConnect's settings: all three or none; a half-configured ProConnect stops the start."""

from tests.test_settings import run_manage


def test_an_issuer_without_its_client_stops_the_start():
    result = run_manage("check", PROCONNECT_ISSUER="https://proconnect.gouv.fr/api/v2")
    assert result.returncode != 0
    assert "PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET must be too" in result.stderr


def test_an_issuer_that_is_not_a_url_stops_the_start():
    result = run_manage(
        "check",
        PROCONNECT_ISSUER="proconnect.gouv.fr",
        PROCONNECT_CLIENT_ID="id",
        PROCONNECT_CLIENT_SECRET="secret",
    )
    assert result.returncode != 0
    assert "PROCONNECT_ISSUER must be a URL" in result.stderr


def test_a_configured_proconnect_may_be_sent_to_by_the_sign_in_forms():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])",
        PROCONNECT_ISSUER="https://proconnect.gouv.fr/api/v2/",
        PROCONNECT_CLIENT_ID="id",
        PROCONNECT_CLIENT_SECRET="secret",
    )
    assert result.returncode == 0, result.stderr
    assert "'https://proconnect.gouv.fr'" in result.stdout
