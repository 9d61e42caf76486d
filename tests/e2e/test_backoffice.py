"""A town's agent logs in, introduces a porteur to a partner, marks the demand installed,
and the dashboard counts it."""

import pytest

pytestmark = pytest.mark.e2e


def change_status(page, label):
    page.get_by_label("Nouveau statut").select_option(label=label)
    with page.expect_navigation():
        page.get_by_role("button", name="Changer le statut").click()
    assert page.get_by_text(f"Statut : {label}.").is_visible()


def test_an_agent_introduces_the_porteur_to_a_partner_then_marks_the_demand_installed(app, desktop):
    page, town, seeded = desktop, app.seeded["town"], app.seeded
    app.log_in(page, town, seeded["agent"], name="connexion")
    assert page.url == app.url(town, "/gestion/")
    app.check(page, "gestion")

    with page.expect_navigation():
        page.get_by_role("link", name=seeded["demand"]).first.click()
    assert page.url == app.url(town, f"/gestion/demandes/{seeded['demand']}/")
    app.check(page, "demande-gestion")

    page.get_by_label("Partenaire", exact=True).select_option(label=seeded["partner"])
    page.get_by_label("Message pour les deux parties (facultatif)").fill(
        "Le local de la rue des Halles pourrait convenir."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Mettre en relation").click()
    app.check(page)
    assert seeded["partner"] in page.locator("main").inner_text()
    # One email to each party, sent by the worker.
    to_partner = app.email_to(seeded["partner_email"])
    assert "rue des Halles" in app.body(to_partner), app.body(to_partner)
    assert seeded["applicant_email"] in app.body(to_partner)
    to_porteur = app.email_to(seeded["applicant_email"], subject_contains="")
    assert seeded["partner"] in app.body(to_porteur)

    for label in ("Qualifiée", "En recherche", "Local trouvé", "Installé"):
        change_status(page, label)
    assert page.locator(".fr-badge").first.inner_text().lower() == "installé"
    app.check(page)
    assert "Installé" in page.locator(".timeline").inner_text()

    # The business, by its SIRET: the directory is out of reach here, so by hand.
    page.get_by_label("SIRET de l’établissement").fill("912 345 675 00017")
    page.get_by_label("Nom de l’entreprise ou enseigne").fill("Le Fournil du Marché")
    with page.expect_navigation():
        page.get_by_role("button", name="Rechercher dans le répertoire des entreprises").click()
    app.check(page)
    assert "Le répertoire des entreprises ne répond pas" in page.locator("main").inner_text()
    assert page.get_by_label("Nom de l’entreprise ou enseigne").input_value() == (
        "Le Fournil du Marché"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer l’entreprise").click()
    assert page.url == app.url(town, f"/gestion/demandes/{seeded['demand']}/")
    assert page.get_by_text("Entreprise enregistrée : Le Fournil du Marché.").is_visible()
    assert "Entreprise installée enregistrée" in page.locator(".timeline").inner_text()
    assert "SIRET 91234567500017" in page.locator("#entreprise-installee + p").inner_text()

    # The dashboard counts it.
    with page.expect_navigation():
        page.get_by_role("link", name="Tableau de bord").click()
    app.check(page, "tableau-de-bord")
    installations = page.locator("#chiffres-cles + div p.kpi").nth(1)
    assert (
        installations.locator("xpath=following-sibling::p[1]")
        .inner_text()
        .startswith("installation")
    )
    assert installations.inner_text() == "1"
    businesses = page.get_by_role("heading", name="Les entreprises installées").locator("..")
    assert businesses.locator("p.kpi").first.inner_text() == "1"
    assert "entreprise enregistrée, dont 1 en activité" in businesses.inner_text()
    funnel = page.get_by_role(
        "table", name="Demandes ayant atteint chaque étape et taux de passage"
    )
    assert (
        funnel.get_by_role("row").filter(has_text="Installé").get_by_role("cell").first.inner_text()
        == "1"
    )
