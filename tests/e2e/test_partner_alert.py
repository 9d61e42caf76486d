"""An agent qualifies a demand; a partner of the town's network receives the alert and
answers from the email's link in one click, without logging in; the agent sees it."""

import pytest

pytestmark = pytest.mark.e2e


def test_a_partner_answers_an_alert_from_the_email_link(app, browser, desktop):
    page, town, seeded = desktop, app.seeded["town"], app.seeded
    reference = seeded["demand_to_qualify"]
    app.log_in(page, town, seeded["agent"])
    app.visit(page, town, f"/gestion/demandes/{reference}/")
    page.get_by_label("Nouveau statut").select_option(label="Qualifiée")
    with page.expect_navigation():
        page.get_by_role("button", name="Changer le statut").click()
    assert page.get_by_text("Statut : Qualifiée.").is_visible()

    alert = app.email_to(seeded["alerted_partner_email"], body_contains=reference)
    assert "Fromagerie affineur" in app.body(alert)
    assert alert["List-Unsubscribe"]
    link = app.link_in(alert, "/partenaires/reponse/")  # the first: "J’ai peut-être un local"

    # The partner's own browser: no session, one click on the link.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    partner = app.watch(context.new_page())
    partner.goto(link)
    partner.get_by_role("heading", name="Merci, votre réponse est enregistrée").wait_for()
    assert "J’ai peut-être un local" in partner.locator("main").inner_text()
    app.check(partner, "partenaire-reponse")
    context.close()

    page.reload()
    alerted = (
        page.locator("li").filter(has_text=seeded["alerted_partner"]).filter(has_text="alerté le")
    )
    assert "J’ai peut-être un local" in alerted.text_content()
    app.check(page)
