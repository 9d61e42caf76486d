"""The loop between porteurs and premises: an agency publishes a premises from the partner
portal, the catalogue shows it, a porteur on a phone says « ce local m'intéresse », the
agent proposes a second premises, the porteur answers it from the follow-up page, and the
agent sees both answers, and the bell's notifications of them."""

import re

import pytest

pytestmark = pytest.mark.e2e

PHONE_WIDTH = 390


def fits_the_phone(page):
    """Nothing wider than the screen: no table or card cut off, no sideways scrolling."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url}: {width} px wide on a {PHONE_WIDTH} px screen"


def new_desktop(browser, app):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    context.set_default_timeout(10_000)
    return context, app.watch(context.new_page())


def unread(page):
    """The bell's unread count, as a screen reader hears it."""
    said = page.locator("header a.bell .fr-sr-only").first.text_content()
    found = re.search(r"(\d+) notifications? non lues?", said)
    assert found or "aucune notification non lue" in said, said
    return int(found.group(1)) if found else 0


def test_a_porteur_finds_a_premises_says_so_and_answers_a_proposal(app, browser, desktop, phone):
    town, seeded = app.seeded["town"], app.seeded
    reference, followup = seeded["proposals_demand"], seeded["proposals_followup"]

    # An agency publishes a premises from the partner portal.
    agency_context, agency = new_desktop(browser, app)
    app.log_in(agency, town, seeded["agency_member"])
    app.visit(agency, town, "/partenaires/locaux/nouveau/")
    form = agency.locator("main form")
    form.locator("[name=address]").fill("8 rue Nationale, Villebelle")
    form.locator("[name=kind]").select_option(label="Boutique")
    form.locator("[name=surface]").fill("60")
    form.locator("[name=monthly_rent]").fill("950")
    form.locator("[name=state]").select_option(label="Vacant")
    form.locator("[name=latitude]").fill("43.5361")
    form.locator("[name=longitude]").fill("6.4641")
    form.locator("[name=description]").fill("Local lumineux, réserve à l’arrière.")
    form.locator("label[for=id_is_published]").click()
    with agency.expect_navigation():
        agency.get_by_role("button", name="Enregistrer").click()
    assert agency.get_by_text("Local enregistré.").is_visible()
    app.check(agency)

    # The catalogue shows it.
    app.visit(desktop, town, "/locaux/")
    assert "8 rue Nationale" in desktop.locator("main").inner_text()
    desktop.locator("#carte-locaux.leaflet-container canvas").wait_for()
    app.check(desktop, "catalogue")

    # A porteur on a phone opens their follow-up link, browses, and says so.
    app.visit(phone, town, followup)
    with phone.expect_navigation():
        phone.get_by_role("link", name="Parcourir les locaux disponibles").click()
    assert phone.url == app.url(town, "/locaux/")
    app.check(phone, "catalogue-mobile")
    fits_the_phone(phone)
    with phone.expect_navigation():
        phone.get_by_role("link", name="Boutique de 60 m²").click()
    app.check(phone)
    fits_the_phone(phone)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Ce local m’intéresse").click()
    assert phone.get_by_text("sait que ce local vous intéresse").is_visible()
    assert "8 rue Nationale" in phone.locator("#propositions").inner_text()
    app.check(phone)
    # The agency hears of it, without the porteur's name.
    told = app.email_to(seeded["agency_member"], subject_contains="veut visiter votre local")
    assert reference in app.body(told) and "Benali" not in app.body(told)

    # The agent proposes a second premises from the demand's matches.
    app.log_in(desktop, town, seeded["agent"])
    app.visit(desktop, town, f"/gestion/demandes/{reference}/")
    # The porteur's interest has rung already (other journeys of this town may have too).
    unread_before = unread(desktop)
    assert unread_before >= 1
    matches = desktop.get_by_role("table", name="Locaux disponibles qui correspondent")
    assert (
        "Intérêt du porteur"
        in matches.get_by_role("row").filter(has_text="8 rue Nationale").text_content()
    )
    with desktop.expect_navigation():
        matches.get_by_role("row").filter(has_text="5 place du Marché").get_by_role(
            "button", name="Proposer"
        ).click()
    assert desktop.get_by_text("Local proposé à 1 demande").is_visible()
    app.check(desktop)

    # The porteur answers it from the follow-up page.
    phone.reload()
    card = phone.locator("article.proposal").filter(has_text="5 place du Marché")
    assert "À vous de répondre" in card.text_content()
    card.locator("img").first.wait_for()  # its photo
    app.check(phone)
    fits_the_phone(phone)
    porteur_context, porteur_desktop = new_desktop(browser, app)
    app.visit(porteur_desktop, town, followup)
    porteur_desktop.locator("#carte-locaux.leaflet-container canvas").wait_for()
    app.check(porteur_desktop, "suivi-propositions")
    porteur_context.close()
    card.locator("label", has_text="Le prix").click()
    card.get_by_label("Un mot pour l’équipe").fill("Un peu au-dessus de mon budget.")
    with phone.expect_navigation():
        card.get_by_role("button", name="Pas pour moi").click()
    assert phone.get_by_text("Votre réponse est transmise").is_visible()
    app.check(phone)

    # The agent sees both answers, and was told of the second.
    app.email_to(seeded["agent"], subject_contains="Local refusé")
    desktop.reload()
    proposals = desktop.get_by_role("table", name="Propositions et intérêts")
    interest = proposals.get_by_role("row").filter(has_text="8 rue Nationale").text_content()
    declined = proposals.get_by_role("row").filter(has_text="5 place du Marché").text_content()
    assert "Intérêt du porteur" in interest
    assert "Refusé : le prix" in declined and "Un peu au-dessus de mon budget." in declined
    assert "Visite" in desktop.locator("main p").first.text_content()  # the pipeline moved on
    app.check(desktop)
    agency_context.close()

    # The bell rang for both; a notification leads to the demand and is then read.
    bell = desktop.locator("header a.bell").first
    assert unread(desktop) == unread_before + 1  # and the refusal
    with desktop.expect_navigation():
        bell.click()
    app.check(desktop, "notifications")
    with desktop.expect_navigation():
        desktop.get_by_role("row").filter(has_text="répondu à une proposition").get_by_role(
            "button", name="Voir"
        ).click()
    assert desktop.url == app.url(town, f"/gestion/demandes/{reference}/")
    assert unread(desktop) == unread_before
    app.visit(desktop, town, "/gestion/notifications/reglages/", name="notifications-reglages")
