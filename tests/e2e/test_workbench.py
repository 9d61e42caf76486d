"""The economic developer's workbench, inside one demand: write to the porteur from a
template, read their reply by email (through the app's SMTP listener) on the timeline, log
the call that follows, plan a task seen in « Mes tâches » and in the calendar feed, merge
the porteur's second demand, and record the business once installed."""

import smtplib
import urllib.parse
import urllib.request
from datetime import timedelta
from email.message import EmailMessage

import icalendar
import pytest
from django.utils import timezone

pytestmark = pytest.mark.e2e


def change_status(page, label):
    page.get_by_label("Nouveau statut").select_option(label=label)
    with page.expect_navigation():
        page.get_by_role("button", name="Changer le statut").click()
    assert page.get_by_text(f"Statut : {label}.").is_visible()


def reply_by_email(app, sent, text):
    """The porteur answers from their mailbox: to the Reply-To of what they received."""
    reply = EmailMessage()
    reply["From"] = sent["To"]
    reply["To"] = sent["Reply-To"]
    reply["Subject"] = f"RE: {sent['Subject']}"
    reply["In-Reply-To"] = sent["Message-ID"]
    reply["Message-ID"] = "<reponse-camille@example.fr>"
    quoted = f"Le {sent['Date']}, {sent['From']} a écrit :\n> Bonjour Camille,\n"
    reply.set_content(f"{text}\n\n{quoted}")
    with smtplib.SMTP("127.0.0.1", app.mail_port, timeout=10) as smtp:
        smtp.send_message(reply)


def test_an_agent_works_a_demand_from_the_first_email_to_the_installed_business(app, desktop):
    page, seeded = desktop, app.seeded
    town, reference = seeded["town"], seeded["workbench_demand"]
    demand_url = app.url(town, f"/gestion/demandes/{reference}/")
    app.log_in(page, town, seeded["agent"])
    app.visit(page, town, f"/gestion/demandes/{reference}/", name="atelier-demande")

    # 1. An email from a template: the placeholders are the porteur's.
    page.get_by_label("Partir d’un modèle").first.select_option(label="Premier contact")
    with page.expect_navigation():
        page.get_by_role("button", name="Utiliser ce modèle").first.click()
    app.check(page, "atelier-courriel")
    assert "faisons connaissance" in page.get_by_role("textbox", name="Objet").input_value()
    assert page.get_by_role("textbox", name="Message").input_value().startswith("Bonjour {prenom},")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer").click()
    assert page.url.split("#")[0] == demand_url
    sent = app.email_to(seeded["workbench_applicant"], subject_contains="faisons connaissance")
    assert sent["Subject"] == f"Votre demande {reference} : faisons connaissance"
    assert app.body(sent).startswith("Bonjour Camille,")
    assert sent["Reply-To"].startswith("reponse+") and sent["Reply-To"].endswith(
        "@reponse.localhost"
    )
    assert "/suivi/" in app.body(sent)

    # 2. The porteur replies by email; the reply lands on the demand's timeline.
    reply_by_email(app, sent, "Bonjour, je suis joignable jeudi matin au 06 12 34 56 78.")
    for _ in range(50):
        page.reload()
        if "Réponse du porteur par courriel" in page.locator(".timeline").inner_text():
            break
        page.wait_for_timeout(200)  # the listener commits, then the page shows it
    timeline = page.locator(".timeline").inner_text()
    assert "Réponse du porteur par courriel" in timeline
    assert "joignable jeudi matin" in timeline
    assert "a écrit" not in timeline  # the quoted email is cut
    app.check(page)

    # 3. The call that follows.
    page.get_by_label("Type d’échange").select_option(label="Appel")
    page.get_by_label("Durée (minutes)").fill("20")
    page.get_by_label("Compte rendu").fill("Appel de Camille : visite du local rue Droite jeudi.")
    with page.expect_navigation():
        page.get_by_role("button", name="Noter l’échange").click()
    assert page.url.split("#")[0] == demand_url
    assert "visite du local rue Droite" in page.locator(".timeline").inner_text()

    # 4. A task, in « Mes tâches » and in the calendar feed.
    due = timezone.localdate() + timedelta(days=2)
    page.get_by_role("textbox", name="Tâche").fill("Rappeler Camille après la visite")
    page.get_by_label("Échéance").fill(due.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Ajouter la tâche").click()
    assert page.url.split("#")[0] == demand_url
    with page.expect_navigation():
        page.get_by_role("link", name="Mes tâches").first.click()
    app.check(page, "atelier-mes-taches")
    assert "Rappeler Camille après la visite" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Voir mes tâches dans mon agenda").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Créer mon adresse d’agenda").click()
    app.check(page, "atelier-agenda")
    feed_url = page.get_by_label("Adresse de l’agenda").input_value()
    # As a calendar application fetches it: no session, only the secret address.
    parts = urllib.parse.urlsplit(feed_url)
    request = urllib.request.Request(
        parts._replace(netloc=f"127.0.0.1:{parts.port}").geturl(), headers={"Host": parts.netloc}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.read())
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    event = next(event for summary, event in events.items() if "Rappeler Camille" in summary)
    assert event.decoded("DTSTART") == due
    assert str(event["URL"]).endswith(f"/gestion/demandes/{reference}/")

    # 5. The porteur's second demand is the same project: merged under the older one.
    app.visit(page, town, f"/gestion/demandes/{reference}/")
    duplicates = page.get_by_role("table", name="Demandes qui pourraient être le même projet")
    assert seeded["workbench_duplicate"] in duplicates.inner_text()
    assert "même courriel" in duplicates.inner_text()
    with page.expect_navigation():
        duplicates.get_by_role("link", name="Fusionner").click()
    app.check(page, "atelier-fusion")
    with page.expect_navigation():
        page.get_by_role("button", name="Fusionner les deux demandes").click()
    assert page.url.split("#")[0] == demand_url
    merged = page.get_by_role("heading", name="Demandes fusionnées dans celle-ci").locator("+ ul")
    assert seeded["workbench_duplicate"] in merged.inner_text()
    assert "Demandes fusionnées" in page.locator(".timeline").inner_text()
    # The other reference leads here.
    app.visit(page, town, f"/gestion/demandes/{seeded['workbench_duplicate']}/")
    assert page.url.split("#")[0] == demand_url

    # 6. Installed, with its SIRET (the directory is out of reach here: typed by hand).
    for label in ("En recherche", "Local trouvé", "Installé"):
        change_status(page, label)
    page.get_by_label("SIRET de l’établissement").fill("912 345 675 00017")
    page.get_by_label("Nom de l’entreprise ou enseigne").fill("Le Levain de Camille")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer l’entreprise").click()
    assert page.url.split("#")[0] == demand_url
    assert "SIRET 91234567500017" in page.locator("#entreprise-installee + p").inner_text()
    assert "Entreprise installée enregistrée" in page.locator(".timeline").inner_text()
    app.check(page, "atelier-installee")
