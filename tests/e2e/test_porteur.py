"""A porteur submits a demand on a phone with the keyboard alone, then follows it through
the private link of the acknowledgement email."""

import pytest

from tests.e2e.pages import press_tab_until

pytestmark = pytest.mark.e2e


def field(page, name, value=None):
    selector = f"[name={name}]" + (f"[value={value}]" if value else "")
    return page.locator(f"form {selector}")


def type_into(page, name, text):
    press_tab_until(page, field(page, name))
    page.keyboard.type(text)
    assert field(page, name).input_value() == text


def choose(page, name, option):
    """A select, by typing the start of the option's label (as keyboard users do)."""
    press_tab_until(page, field(page, name))
    page.keyboard.type(option)
    assert field(page, name).locator("option:checked").inner_text() == option


def tick(page, name, value=None):
    """A checkbox or a radio button, with the space bar."""
    press_tab_until(page, field(page, name, value))
    page.keyboard.press("Space")
    assert field(page, name, value).is_checked()


def press_button(page, name):
    button = page.get_by_role("button", name=name, exact=True)
    press_tab_until(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_porteur_submits_a_demand_on_a_phone_with_the_keyboard_only(app, phone):
    page, town = phone, app.seeded["town"]
    app.visit(page, town, "/", name="ville-mobile")
    press_tab_until(page, page.get_by_role("link", name="Déposer ma demande").first)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == app.url(town, "/demande/")
    app.check(page)

    # Sending the first step empty shows the errors next to the fields.
    press_button(page, "Suivant")
    assert page.get_by_text("Indiquez votre activité.").first.is_visible()
    app.check(page, "demande-mobile")

    type_into(page, "activity", "Épicerie vrac")
    choose(page, "activity_category", "Alimentaire")
    tick(page, "stage", "idea")
    press_button(page, "Suivant")
    assert page.url == app.url(town, "/demande/local/")
    app.check(page)

    choose(page, "premises_kind", "Boutique")
    type_into(page, "surface_min", "30")
    type_into(page, "surface_max", "60")
    tick(page, "needs_shop_window")
    press_button(page, "Suivant")
    app.check(page)

    press_button(page, "Suivant")  # support: nothing needed
    app.check(page)

    type_into(page, "first_name", "Lou")
    type_into(page, "last_name", "Martin")
    type_into(page, "email", "lou.martin@example.fr")
    type_into(page, "phone", "06 11 22 33 44")
    tick(page, "consent_to_share")
    press_button(page, "Envoyer ma demande")
    assert page.url == app.url(town, "/demande/envoyee/")
    app.check(page, "demande-envoyee-mobile")

    # The acknowledgement carries the private follow-up link.
    message = app.email_to("lou.martin@example.fr")
    link = app.link_in(message, "/suivi/")
    page.goto(link)
    assert "Épicerie vrac" in page.locator("main").inner_text()
    app.check(page, "suivi")
