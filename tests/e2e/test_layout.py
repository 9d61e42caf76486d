"""Tables fit their page or reflow into cards, at 1,366 px and on a 390 px phone: the
back-office inbox's last column, the ANCT console's action buttons and the partner
portal's « Répondre » are never cut off or pushed out of reach."""

import re

import pyotp
import pytest

pytestmark = pytest.mark.e2e

WIDTHS = (1366, 390)

# Per table on the page: how much wider its content is than the box that holds it
# (DSFR's .fr-table__container scrolls sideways), and the links and buttons of its cells
# that stick out of that box. Then how much wider the whole page is than the window.
OVERFLOWS = """() => {
  const tables = [...document.querySelectorAll("main table")].map(table => {
    const box = table.closest(".fr-table__container") || table.closest(".fr-table")
      || table.parentElement;
    const frame = box.getBoundingClientRect();
    const outside = [...table.querySelectorAll("a, button, select, input")]
      .filter(control => {
        const rect = control.getBoundingClientRect();
        return rect.width > 0 && (rect.left < frame.left - 1 || rect.right > frame.right + 1);
      })
      .map(control => control.innerText.trim() || control.name);
    return {
      table: (table.caption && table.caption.innerText.trim()) || "(sans légende)",
      excess: box.scrollWidth - box.clientWidth,
      outside,
    };
  });
  return {tables, page: document.documentElement.scrollWidth - window.innerWidth};
}"""


def assert_tables_fit(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(100)  # the container queries settle after the resize
    found = page.evaluate(OVERFLOWS)
    assert found["tables"], f"{page.url}: no table to check"
    for table in found["tables"]:
        assert table["excess"] <= 1, f"{page.url} at {width} px: {table}"
        assert not table["outside"], f"{page.url} at {width} px: {table}"
    assert found["page"] <= 0, f"{page.url} at {width} px: {found['page']} px too wide"


def reachable(page, locator):
    """Visible, and inside the window once scrolled to: nothing hides it sideways."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    window = page.viewport_size
    return (
        locator.is_visible()
        and box
        and 0 <= box["x"]
        and box["x"] + box["width"] <= window["width"]
    )


@pytest.fixture
def wide(browser, app):
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900}, locale="fr-FR")
    context.set_default_timeout(10_000)
    yield app.watch(context.new_page())
    context.close()


def test_the_inbox_fits_at_1366_px_and_reflows_on_a_phone(app, wide):
    app.log_in(wide, app.seeded["town"], app.seeded["agent"])
    app.visit(wide, app.seeded["town"], "/gestion/")
    for width in WIDTHS:
        assert_tables_fit(wide, width)
        link = wide.get_by_role("link", name="VIL-2026-00021")
        assert reachable(wide, link), f"the inbox's first column at {width} px"


def test_the_console_s_action_buttons_fit(app, wide):
    app.log_in(wide, None, app.seeded["layout_anct"])
    wide.locator("input[name=code]").fill(pyotp.TOTP(app.seeded["layout_anct_totp_secret"]).now())
    with wide.expect_navigation():
        wide.locator("input[name=code]").press("Enter")
    app.visit(wide, None, "/console/")
    for width in WIDTHS:
        assert_tables_fit(wide, width)
        for button in wide.get_by_role("button", name=re.compile(r"^(Suspendre|Fermer)")).all():
            assert reachable(wide, button), f"{button.inner_text()} at {width} px"
    app.visit(wide, None, "/console/facturation/")
    for width in WIDTHS:
        assert_tables_fit(wide, width)


def test_the_partner_portal_keeps_repondre_in_reach_on_a_phone(app, wide):
    app.log_in(wide, app.seeded["town"], app.seeded["agency_member"])
    app.visit(wide, app.seeded["town"], "/partenaires/demandes/")
    for width in WIDTHS:
        assert_tables_fit(wide, width)
        answers = wide.get_by_role("link", name=re.compile(r"^Répondre"))
        assert answers.count() >= 3
        assert reachable(wide, answers.first), f"« Répondre » at {width} px"
        assert reachable(wide, answers.last), f"« Répondre » at {width} px"
