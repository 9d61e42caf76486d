"""A town puts the demand form in its own website: the admin declares the site, copies
the kit's integration code into a page served from another origin (another port, another
host: a cross-site frame, as www.ville.fr framing ville.boursoloco.fr), and a porteur
goes through every step inside the frame and gets a reference, over plain HTTP."""

import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# The town's page has a Content-Security-Policy as strict as ours: the integration code
# must need no inline style or script there (the browser would report it).
HOST_PAGE = """<!DOCTYPE html>
<html lang="fr">
  <head><meta charset="utf-8"><title>Ouvrir un commerce — Mairie de Villebelle</title>
  <meta http-equiv="Content-Security-Policy"
        content="default-src 'self'; style-src 'self'; script-src 'self'; frame-src {frames}">
  </head>
  <body>
    <main>
      <h1>Ouvrir un commerce à Villebelle</h1>
      {snippet}
    </main>
  </body>
</html>
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def town_website(tmp_path):
    """The town's own website: a static server on 127.0.0.1 (another site than
    *.localhost). Yields (its origin, the folder it serves)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", Path(tmp_path)
    finally:
        server.shutdown()
        server.server_close()


def next_step(frame, button, expected):
    frame.get_by_role("button", name=button, exact=True).click()
    expect(frame.get_by_text(expected).first).to_be_visible()


def test_a_porteur_files_a_demand_in_the_form_embedded_in_the_towns_website(
    app, browser, desktop, town_website
):
    page, town, seeded = desktop, app.seeded["town"], app.seeded
    origin, folder = town_website

    # The admin declares the town's website, then copies the integration code.
    app.log_in(page, town, seeded["admin"])
    app.visit(page, town, "/gestion/reglages/")
    page.get_by_label("sites autorisés à afficher le formulaire").fill(origin)
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    app.visit(page, town, "/gestion/kit/")
    snippet = page.locator("#code-integration").input_value()
    assert "<iframe" in snippet and origin in page.locator("main").inner_text()
    (folder / "index.html").write_text(
        HOST_PAGE.format(snippet=snippet, frames=app.url(town, "").rstrip("/"))
    )

    # A porteur, on the town's website: a browser with nothing from the town.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    context.set_default_timeout(10_000)
    visitor = app.watch(context.new_page())
    visitor.goto(f"{origin}/")
    frame = visitor.frame_locator("iframe")
    expect(frame.get_by_text("Étape 1 sur 4")).to_be_visible()
    (embedded,) = visitor.main_frame.child_frames
    app.check(embedded)

    frame.locator("[name=activity]").fill("Torréfacteur")
    frame.locator("[name=activity_category]").select_option(label="Alimentaire")
    frame.locator("label[for=id_stage_0]").click()  # « Idée » (DSFR: the label is clicked)
    expect(frame.get_by_label("Idée", exact=True)).to_be_checked()
    next_step(frame, "Suivant", "Étape 2 sur 4")
    app.check(embedded)

    frame.locator("[name=premises_kind]").select_option(label="Boutique")
    frame.locator("[name=surface_min]").fill("35")
    frame.locator("[name=surface_max]").fill("70")
    next_step(frame, "Suivant", "Étape 3 sur 4")
    # Back and forth: the draft travels with the page.
    next_step(frame, "Précédent", "Étape 2 sur 4")
    expect(frame.locator("[name=surface_max]")).to_have_value("70")
    next_step(frame, "Suivant", "Étape 3 sur 4")
    next_step(frame, "Suivant", "Étape 4 sur 4")

    frame.locator("[name=first_name]").fill("Noé")
    frame.locator("[name=last_name]").fill("Garnier")
    frame.locator("[name=email]").fill("noe.garnier@example.fr")
    frame.locator("[name=phone]").fill("06 98 76 54 32")
    frame.locator("label[for=id_consent_to_share]").click()
    expect(frame.locator("[name=consent_to_share]")).to_be_checked()
    next_step(frame, "Envoyer ma demande", "Votre demande a bien été envoyée")
    app.check(embedded)

    reference = re.search(r"VIL-\d{4}-\d{5}", frame.locator("main").inner_text()).group(0)
    confirmation = app.email_to("noe.garnier@example.fr", subject_contains=reference)
    assert "/suivi/" in app.body(confirmation)
    # The whole journey needed no cookie of the town's (a frame on another site has none
    # over HTTP), and the browser refused nothing (frame-ancestors, scripts, styles).
    assert not [c for c in context.cookies() if "localhost" in c["domain"]]
    assert not visitor.problems, visitor.problems
    context.close()
