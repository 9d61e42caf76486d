"""An agent adds a vacant shop to the inventory: it matches the town's open demands, and
shows on the map (Leaflet, served by the app; no tiles: no test reaches the internet)."""

import pytest

pytestmark = pytest.mark.e2e


def test_an_agent_adds_premises_that_match_an_open_demand_and_show_on_the_map(app, desktop):
    page, town, seeded = desktop, app.seeded["town"], app.seeded
    app.log_in(page, town, seeded["agent"])
    app.visit(page, town, "/gestion/locaux/")
    with page.expect_navigation():
        page.get_by_role("link", name="Ajouter un local").click()
    app.check(page)

    form = page.locator("main form")
    form.locator("[name=address]").fill("12 rue des Arcades, Villebelle")
    form.locator("[name=kind]").select_option(label="Boutique")
    form.locator("[name=surface]").fill("60")
    form.locator("[name=monthly_rent]").fill("1000")
    form.locator("[name=state]").select_option(label="Vacant")
    form.locator("[name=latitude]").fill("43.5366")
    form.locator("[name=longitude]").fill("6.4646")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le local").click()

    assert page.locator("h1").inner_text() == "12 rue des Arcades, Villebelle"
    app.check(page, "local")
    matches = page.get_by_role("table", name="Demandes en cours qui correspondent")
    assert seeded["demand_to_qualify"] in matches.inner_text()

    with page.expect_navigation():
        page.get_by_role("link", name="Carte").click()
    page.locator("#carte-locaux.leaflet-container canvas").wait_for()  # dots drawn by Leaflet
    assert "12 rue des Arcades" in page.locator(".premises-map-list").inner_text()
    app.check(page, "carte-locaux")
