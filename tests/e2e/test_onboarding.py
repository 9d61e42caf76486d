"""A town onboards itself on the national site, then configures its space."""

import io
import re

import pytest
from PIL import Image

pytestmark = pytest.mark.e2e


def small_png():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "#18753c").save(buffer, "PNG")
    return {"name": "logo.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_a_town_opens_its_space_and_configures_it(app, desktop):
    page = desktop
    app.visit(page, None, "/", name="national")
    app.visit(page, None, "/inscription/", name="inscription")

    # Live results as one types (JavaScript), announced to screen readers.
    page.get_by_label("Nom ou code postal de la commune, nom de l’intercommunalité").fill("Lorgues")
    lorgues = page.get_by_text("Lorgues (83)")
    lorgues.wait_for()
    app.check(page)
    lorgues.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Continuer").click()
    app.check(page)

    # The address is derived from the official name, picked, never typed.
    assert page.get_by_role("radio", name=re.compile(r"^lorgues\.")).is_checked()
    page.get_by_label("Votre prénom").fill("Nadia")
    page.get_by_label("Votre nom").fill("Benali")
    address = "nadia.benali@lorgues.example.fr"
    page.get_by_label("Votre adresse électronique professionnelle").fill(address)
    page.locator("label[for=id_accept_terms]").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Recevoir le code").click()
    app.check(page)

    message = app.email_to(address)
    code = re.search(r"\b(\d{6})\b", app.body(message)).group(1)
    page.get_by_label("Code reçu par courriel").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Ouvrir l’espace").click()
    # The new admin lands, logged in, on the new town's own host.
    page.wait_for_url(app.url("lorgues", "/gestion/premiers-pas/"))
    assert "Bienvenue dans l’espace de Lorgues" in page.locator("h1").inner_text()
    app.check(page, "premiers-pas")

    app.visit(page, "lorgues", "/gestion/reglages/", name="reglages")
    page.get_by_label("Texte d’accueil").fill("Lorgues accueille vos commerces.")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Les réglages sont enregistrés.").is_visible()
    app.check(page)

    app.visit(page, "lorgues", "/gestion/reglages/identite/")
    page.get_by_label("Logo").set_input_files(small_png())
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    app.check(page)

    app.visit(page, "lorgues", "/", name="ville")
    assert "Lorgues accueille vos commerces." in page.locator("main").inner_text()
    logo = page.locator("img.town-logo, header img").first
    assert logo.evaluate("image => image.complete && image.naturalWidth") == 64
    # Its team previews it; to anyone else, the space stays private until verified.
    assert "Aperçu réservé à votre équipe" in page.locator("body").inner_text()
    stranger = page.context.browser.new_context().new_page()
    stranger.goto(app.url("lorgues", "/demande/"))
    assert stranger.locator("h1").inner_text() == "Bientôt disponible"
    assert stranger.locator("main form").count() == 0
    stranger.context.close()
