"""ANCT staff log in with their second factor and validate a town in the console."""

import pytest

pytestmark = pytest.mark.e2e


def test_anct_staff_log_in_with_totp_and_validate_a_town(app, desktop):
    page = desktop
    waiting = app.seeded["waiting_town_name"]
    app.log_in(page, None, app.seeded["anct"])
    assert page.url == app.url(None, "/compte/2fa/authenticate/")
    app.check(page, "anct-double-authentification")
    page.locator("input[name=code]").fill(app.totp())
    page.locator("input[name=code]").press("Enter")

    page.wait_for_url(app.url(None, "/console/"))
    app.check(page, "console")
    row = page.get_by_role("row").filter(has_text=waiting)
    assert "Pré-ouverture" in row.text_content()
    row.get_by_role("button", name=f"Valider {waiting}").click()

    page.wait_for_url(app.url(None, "/console/"))
    assert page.get_by_text(f"{waiting} : Ouverte.").is_visible()
    app.check(page)
    # The town's site no longer says it awaits validation.
    app.visit(page, app.seeded["waiting_town"], "/")
    assert "validation" not in page.locator("main").inner_text()
