"""A town's agent signs in with ProConnect (the local stand-in, a real OpenID provider)
on the town's host, lands in the back office, and signs out at ProConnect too."""

import pytest

pytestmark = pytest.mark.e2e


def test_a_town_agent_signs_in_with_proconnect_and_lands_in_the_back_office(app, desktop):
    page, town, seeded = desktop, app.seeded["town"], app.seeded
    app.visit(page, town, "/compte/login/")
    button = page.get_by_role("button", name="S’identifier avec ProConnect")
    assert button.is_visible()
    assert page.get_by_role("link", name="Qu’est-ce que ProConnect ?").is_visible()

    with page.expect_navigation():
        button.click()
    # ProConnect's page (the local stand-in's), away from the town's host.
    assert not page.url.startswith(app.url(town))
    page.get_by_label("Adresse électronique professionnelle").fill(seeded["proconnect_agent"])
    page.get_by_role("button", name="Continuer").click()

    page.wait_for_url(app.url(town, "/gestion/"))
    app.check(page)
    assert seeded["proconnect_agent"] in page.locator("header").inner_text()

    # Signing out goes through ProConnect and comes back to the town's home page.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(app.url(town, "/") + "?state=*")
    assert page.get_by_role("link", name="Se connecter").first.is_visible()
