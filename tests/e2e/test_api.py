"""A town's admin creates an API token in the settings, and the README's curl script reads
the town's premises and demands with it against the running app, creating nothing; then
the admin revokes the token, after its confirmation page, and the script is refused."""

import re
import subprocess

import pytest
from django.conf import settings

pytestmark = pytest.mark.e2e


def readme_script():
    """The README's curl script: the first sh block of its API section."""
    text = (settings.BASE_DIR / "README.md").read_text()
    section = text.split("## L’API", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def run(script, town_url, token):
    return subprocess.run(
        ["bash", "-c", script],
        env={"PATH": "/usr/bin:/bin", "VILLE": town_url, "JETON": token},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_readme_script_reads_premises_and_demands_with_a_token(app, desktop):
    page, town, seeded = desktop, app.seeded["town"], app.seeded
    script = readme_script()
    # curl alone, and only GETs: no method, body or upload option on any curl call.
    calls = [part for line in script.splitlines() for part in line.split("|") if "curl " in part]
    assert len(calls) >= 4
    for call in calls:
        assert not re.search(r"\s(-X|--request|-d|--data\S*|-F|--form|-T|--upload-file)\s", call)

    app.log_in(page, town, seeded["admin"])
    app.visit(page, town, "/gestion/reglages/api/", name="api-jetons")
    page.get_by_label("Nom du jeton").fill("Site de la mairie")
    # DSFR checkboxes: their label takes the click, as a person's would.
    page.get_by_text("Lire les locaux", exact=True).click()
    page.get_by_text("Lire les demandes et leur historique", exact=False).click()
    with page.expect_navigation():
        page.get_by_role("button", name="Créer le jeton").click()
    app.check(page, "api-jeton-cree")
    token = page.get_by_label("Jeton").input_value()
    assert token.startswith("bol_")

    result = run(script, app.url(town).rstrip("/"), token)
    assert result.returncode == 0, result.stderr
    assert seeded["demand"] in result.stdout and '"next_cursor"' in result.stdout
    assert '"items": [' in result.stdout or '"items":[' in result.stdout
    assert "premises/ : 304" in result.stdout
    # Personal data needs its own right: the porteur's address is not there.
    assert seeded["applicant_email"] not in result.stdout

    app.visit(page, town, "/gestion/reglages/api/")
    assert (
        "4 appels" in page.locator("main").inner_text()
        or "5 appels" in page.locator("main").inner_text()
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Révoquer le jeton Site de la mairie").click()
    app.check(page, "api-revoquer")
    with page.expect_navigation():
        page.get_by_role("button", name="Oui, révoquer le jeton").click()
    assert "révoqué" in page.locator("main").inner_text()
    refused = run(script, app.url(town).rstrip("/"), token)
    assert "error: 401" in refused.stderr and '"items"' not in refused.stdout
    assert "premises/ : 401" in refused.stdout
