"""An estate agency registers on a town's site (no SIRET look-up reachable: by hand),
proves its address with the emailed code, waits for the town; the town's admin accepts;
the agency then reaches its portal."""

import re

import pytest

pytestmark = pytest.mark.e2e


def test_an_agency_registers_on_a_town_and_is_accepted(app, browser, desktop):
    town, seeded = app.seeded["town"], app.seeded
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    agency = app.watch(context.new_page())
    app.visit(agency, town, "/partenaires/", name="partenaires-accueil")
    with agency.expect_navigation():
        agency.get_by_role("link", name="Inscrire mon organisation").click()
    app.check(agency, "partenaires-inscription")

    agency.get_by_label("Nom de l’organisation").fill("Agence des Halles")
    agency.get_by_label("Vous êtes").select_option(label="Agence immobilière")
    agency.get_by_label("Départements où vous proposez des locaux").fill("83")
    agency.get_by_label("Votre prénom").fill("Lucie")
    agency.get_by_label("Votre nom", exact=True).fill("Garnier")
    address = "lucie@agence-des-halles.example.fr"
    agency.get_by_label("Votre adresse électronique").fill(address)
    agency.locator("label[for=id_accept_terms]").click()
    with agency.expect_navigation():
        agency.get_by_role("button", name="Recevoir mon code").click()
    app.check(agency)

    message = app.email_to(address, body_contains="code")
    code = re.search(r"\b(\d{6})\b", app.body(message)).group(1)
    agency.get_by_label("Code reçu par courriel").fill(code)
    with agency.expect_navigation():
        agency.get_by_role("button", name="Terminer l’inscription").click()
    assert agency.get_by_text("Demande en attente").is_visible()
    app.check(agency)

    # The town's admin is told and accepts from the back-office.
    app.email_to(seeded["admin"], subject_contains="Agence des Halles")
    page = desktop
    app.log_in(page, town, seeded["admin"])
    app.visit(page, town, "/gestion/partenaires/", name="gestion-partenaires")
    with page.expect_navigation():
        page.get_by_role("button", name="Accepter Agence des Halles").click()
    assert page.get_by_text("Agence des Halles rejoint le réseau.").is_visible()
    app.check(page)
    app.email_to(address, subject_contains="Bienvenue")

    with agency.expect_navigation():
        agency.goto(app.url(town, "/partenaires/"))
    assert agency.url.endswith("/partenaires/demandes/")
    app.check(agency, "partenaires-demandes")
    context.close()
