"""What journeys share: addresses, emails, accessibility checks, screenshots, logins.

A journey reads as what a person does: `app.visit(page, "villebelle", "/demande/")`,
`app.log_in(page, ...)`, `app.email_to(address)`; every page it goes through is checked
by axe-core (`app.check(page)`), and kept as a screenshot when E2E_SCREENSHOTS is set
(`bin/screenshots` sets it: docs/screenshots/<name>.png).
"""

import email
import email.policy
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyotp

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent.parent
AXE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
SCREENSHOTS = ROOT / "docs" / "screenshots"
BLOCKING_IMPACTS = ("serious", "critical")
EMAIL_TIMEOUT = 15
DUPLICATE_LABEL_TARGETS = """() => [...document.querySelectorAll('label[for]')]
    .map(label => label.htmlFor)
    .filter(id => document.querySelectorAll(`[id="${CSS.escape(id)}"]`).length > 1)"""


@dataclass
class App:
    port: int
    outbox: Path
    seeded: dict
    logs: Path
    mail_port: int = 0  # the app's SMTP listener for replies by email
    checked: list = field(default_factory=list)

    def url(self, town=None, path="/"):
        host = f"{town}.localhost" if town else "localhost"
        return f"http://{host}:{self.port}{path}"

    def watch(self, page):
        """Record what the browser complains about: scripts or styles blocked by the
        Content-Security-Policy, JavaScript errors."""
        page.problems = []
        page.on(
            "console",
            lambda message: (
                page.problems.append(message.text)
                if message.type == "error"
                and ("Content Security Policy" in message.text or "Refused to" in message.text)
                else None
            ),
        )
        page.on("pageerror", lambda error: page.problems.append(f"JavaScript: {error}"))
        return page

    def visit(self, page, town, path, name=None):
        response = page.goto(self.url(town, path))
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        self.check(page, name)
        return response

    def check(self, page, name=None):
        """No serious or critical axe-core violation and no blocked resource on the page
        (or frame) as it is now; keep a screenshot named `name` when asked to."""
        page.wait_for_load_state("load")
        page.evaluate(AXE)
        results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        self.checked.append(page.url)
        assert not blocking, f"axe-core on {page.url}:\n" + "\n".join(
            f"- {v['impact']} {v['id']}: {v['help']} ({v['helpUrl']})\n"
            + "\n".join(f"    {node['target']}" for node in v["nodes"][:5])
            for v in blocking
        )
        # A frame's problems are reported to its page (app.watch), checked there.
        assert not getattr(page, "problems", []), f"{page.url}: {page.problems}"
        # axe-core 4.x no longer reports duplicate ids; a label whose `for` names an id
        # used twice points at the wrong field for everyone.
        ambiguous = page.evaluate(DUPLICATE_LABEL_TARGETS)
        assert not ambiguous, f"{page.url}: labels point at duplicated ids {ambiguous}"
        if name and os.environ.get("E2E_SCREENSHOTS"):
            page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    # Emails ----------------------------------------------------------------------------

    def emails(self):
        """Every message the app sent so far (file backend: one file per connection)."""
        messages = []
        for path in sorted(self.outbox.glob("*.log")):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return messages

    def email_to(self, address, subject_contains="", body_contains="", timeout=EMAIL_TIMEOUT):
        """The latest message to `address` (whose subject and body contain the texts),
        waiting for the worker to send it."""
        deadline = time.monotonic() + timeout
        while True:
            found = [
                message
                for message in self.emails()
                if address in message["To"]
                and subject_contains in message["Subject"]
                and body_contains in self.body(message)
            ]
            if found:
                return found[-1]
            if time.monotonic() > deadline:
                sent = [(m["To"], m["Subject"]) for m in self.emails()]
                raise AssertionError(f"No email to {address} ({subject_contains!r}); sent: {sent}")
            time.sleep(0.1)  # the worker writes a file; nothing to wait on but the directory

    @staticmethod
    def body(message):
        return message.get_body(preferencelist=("plain", "html")).get_content()

    def link_in(self, message, path_contains):
        links = re.findall(r"https?://[^\s\"<>]+", self.body(message))
        matching = [link for link in links if path_contains in link]
        assert matching, f"No link with {path_contains!r} in: {links}"
        return matching[0]

    # People ----------------------------------------------------------------------------

    def log_in(self, page, town, address, password=PASSWORD, name=None):
        self.visit(page, town, "/compte/login/", name=name)
        page.locator("input[name=login]").fill(address)
        page.locator("input[name=password]").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Se connecter").click()

    def totp(self):
        return pyotp.TOTP(self.seeded["anct_totp_secret"]).now()


def press_tab_until(page, locator, presses=120):
    """Press Tab until `locator` has the focus: proves it is reachable by keyboard."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} never got the focus after {presses} presses of Tab")
