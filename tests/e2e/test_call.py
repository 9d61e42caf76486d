"""A call for applications from publication to the trial: the team publishes a
trial-shop call, two porteurs apply (one on a phone), the call is closed, an outside juror
invited by email and the agent score blind, the decision is sent to both porteurs and the
trial's first milestone waits in the agent's tasks."""

import re

import pytest

from tests.tenant_apps.calls.factories import PDF

pytestmark = pytest.mark.e2e

PORTEURS = {
    "desktop": ("Inès Moreau", "ines.moreau@essai.example.fr", "Une librairie-café."),
    "phone": ("Hugo Lambert", "hugo.lambert@essai.example.fr", "Un atelier de cordonnerie."),
}
BANKER = "claire.vidal@banque.example.fr"


def apply(app, page, town, call, who, name):
    full_name, address, project = PORTEURS[who]
    app.visit(page, town, f"/appels/{call}/", name=name)
    with page.expect_navigation():
        page.get_by_role("link", name="Déposer ma candidature").click()
    page.get_by_label("Nom et prénom").fill(full_name)
    page.get_by_label("Adresse électronique").fill(address)
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_label("Votre projet").fill(project)
    page.get_by_label("Votre expérience").fill("Dix ans dans le métier.")
    page.get_by_label("Votre motivation").fill("Faire revivre la rue des Arts.")
    page.get_by_label("Plan d’affaires (PDF)").set_input_files(
        {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma candidature").click()
    app.check(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Candidature envoyée"
    app.email_to(address, subject_contains="candidature")


def score(app, page, town, call, applicant, values, comment):
    page.goto(app.url(town, f"/gestion/jury/{call}/"))
    with page.expect_navigation():
        page.get_by_role("link", name=applicant).first.click()
    app.check(page)
    assert "Notation à l’aveugle" in page.content()
    page.get_by_label(re.compile(r"^Faisabilité du projet")).fill(str(values[0]))
    page.get_by_label(re.compile(r"^Motivation")).fill(str(values[1]))
    page.get_by_label("Commentaire").fill(comment)
    with page.expect_navigation():
        page.get_by_role("button", name="Soumettre mes notes…").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Oui, soumettre mes notes").click()
    assert "Soumise le" in page.content()


def test_a_call_goes_from_publication_to_the_trials_first_milestone(app, browser, desktop, phone):
    seeded = app.seeded
    town, call, agent = seeded["call_town"], seeded["call"], seeded["agent"]
    page = desktop

    # 1. The team publishes the drafted call, after a confirmation.
    app.log_in(page, town, agent)
    app.visit(page, town, f"/gestion/appels/{call}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Publier l’appel…").click()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Oui")).click()
    app.visit(page, town, "/appels/")
    assert seeded["call_title"] in page.content()

    # 2. Two porteurs apply, one of them on a phone.
    apply(app, phone, town, call, "phone", name="appel-candidature-mobile")
    apply(app, page, town, call, "desktop", name="appel-candidature")

    # 3. The agent invites an outside juror and sits on the jury, then closes the call.
    app.visit(page, town, f"/gestion/appels/{call}/jury/")
    for address, organisation in ((BANKER, "Banque du Var"), (agent, "")):
        page.get_by_label("Adresse électronique").fill(address)
        page.get_by_label("Organisme").fill(organisation)
        with page.expect_navigation():
            page.get_by_role("button", name="Inviter", exact=True).click()
    invitation = app.email_to(BANKER, subject_contains="jury")
    with page.expect_navigation():
        page.get_by_role("button", name="Clore l’appel maintenant…").click()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Oui")).click()
    assert "les jurés notent" in page.content()

    # 4. The banker signs in with a code sent by email and scores blind; then the agent.
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(10_000)
    banker = app.watch(context.new_page())
    banker.goto(app.link_in(invitation, "/compte/login/code/"))
    banker.locator("input[name=email]").fill(BANKER)
    with banker.expect_navigation():
        banker.get_by_role("button", name="Recevoir un code").click()
    code = re.search(r"^\s*(\d{6})\s*$", app.body(app.email_to(BANKER, body_contains="code")), re.M)
    banker.locator("input[name=code]").fill(code.group(1))
    with banker.expect_navigation():
        banker.get_by_role("button", name="Confirmer").click()
    app.check(banker)
    score(app, banker, town, call, "Inès Moreau", (8, 9), "Projet solide, bien chiffré.")
    score(app, banker, town, call, "Hugo Lambert", (5, 6), "Le chiffrage reste à faire.")
    assert banker.goto(app.url(town, f"/gestion/appels/{call}/classement/")).status == 403
    assert banker.goto(app.url(town, "/gestion/")).status == 403
    context.close()
    score(app, page, town, call, "Inès Moreau", (9, 8), "Très convaincante.")
    # Once their own notes are in, the agent reads the banker's.
    assert "Projet solide, bien chiffré." in page.content()
    score(app, page, town, call, "Hugo Lambert", (6, 5), "À accompagner avant d’ouvrir.")

    # 5. The ranking puts Inès first; the decision is reviewed, then sent.
    app.visit(page, town, f"/gestion/appels/{call}/classement/", name="appel-classement")
    rows = page.locator("table tbody tr")
    assert "Inès Moreau" in rows.nth(0).inner_text()
    app.visit(page, town, f"/gestion/appels/{call}/decision/")
    # DSFR draws the radio buttons: a person clicks their labels.
    ines = page.get_by_role("region", name="Inès Moreau")
    ines.get_by_text("Retenue", exact=True).click()
    hugo = page.get_by_role("region", name="Hugo Lambert")
    hugo.get_by_text("Non retenue", exact=True).click()
    assert ines.get_by_label("Retenue", exact=True).is_checked()
    hugo.get_by_label("Motif (communiqué au candidat)").fill(
        "Le plan de financement n’est pas encore bouclé."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Relire avant l’envoi…").click()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Oui")).click()
    selected = app.email_to(PORTEURS["desktop"][1], subject_contains="est retenue")
    declined = app.email_to(PORTEURS["phone"][1], body_contains="n’a pas retenu")
    assert "Le plan de financement n’est pas encore bouclé." in app.body(declined)
    assert seeded["call_title"] in selected["Subject"]

    # 6. The trial has started: its first milestone is in the agent's tasks.
    app.visit(page, town, "/gestion/taches/", name="appel-premier-point")
    assert page.get_by_text(re.compile("Boutique à l’essai — .*mois")).first.is_visible()
