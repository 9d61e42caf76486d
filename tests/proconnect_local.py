"""The local ProConnect (bin/proconnect-local/server.mjs, a real OpenID provider) for the
tests: one Node process per xdist worker and session, on a free port, and a browser of
its pages (requests) that follows the OpenID Connect flow up to the app's callback.

`local_proconnect` only starts it; ProConnect stays off in the app unless a test turns it
on (tests/shared_apps/proconnect/conftest.py) or an app server is given its settings
(tests/e2e/conftest.py)."""

import json
import os
import re
import select
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.conf import settings

SERVER = Path(settings.BASE_DIR) / "bin" / "proconnect-local" / "server.mjs"
IDENTITIES = json.loads((SERVER.parent / "identities.json").read_text())
START_TIMEOUT = 30


@dataclass(frozen=True)
class LocalProConnect:
    issuer: str
    secret: str

    def settings(self, client_id="boursoloco-local"):
        """The app's PROCONNECT_* settings for this provider (one of its clients)."""
        return {
            "PROCONNECT_ISSUER": self.issuer,
            "PROCONNECT_CLIENT_ID": client_id,
            "PROCONNECT_CLIENT_SECRET": self.secret,
        }

    def browser(self):
        return ProviderBrowser(self.issuer)


def identity(email):
    return next(i for i in IDENTITIES if i["email"] == email)


class ProviderBrowser:
    """A person's browser on the provider's pages: it follows the provider's redirects
    and stops at the first one leading back to the app (which the Django test client
    then follows)."""

    def __init__(self, issuer):
        self.origin = issuer
        self.session = requests.Session()
        self.session.trust_env = False  # the provider is on this machine, never via a proxy

    def open(self, url, *, data=None):
        """The last page of the provider on the way, or the URL it sends back to the app."""
        method = "POST" if data is not None else "GET"
        for _ in range(10):
            response = self.session.request(method, url, data=data, allow_redirects=False)
            if not response.is_redirect:
                return response
            url = urljoin(url, response.headers["Location"])
            if not url.startswith(self.origin):
                return url
            method, data = "GET", None
        raise AssertionError(f"too many redirects at the provider, last {url}")

    def sign_in(self, authorize_url, email):
        """From the authorization URL the app redirected to, sign in as `email` at the
        provider; returns the app's callback URL (with code and state)."""
        page = self.open(authorize_url)
        assert page.status_code == 200, page.text
        action = form_action(page)
        result = self.open(urljoin(page.url, action), data={"email": email})
        assert isinstance(result, str), result.text
        return result

    def submit_form(self, page):
        """Submit the page's first form as is (hidden fields): the end_session page."""
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        return self.open(urljoin(page.url, form_action(page)), data=fields)


def form_action(page):
    return unescape(re.search(r'<form[^>]*action="([^"]+)"', page.text).group(1))


def app_path(url):
    """The path and query of an app URL, for the Django test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


@pytest.fixture(scope="session")
def local_proconnect():
    log = Path(tempfile.mkstemp(prefix="proconnect-local-", suffix=".log")[1])
    env = {**os.environ, "PROCONNECT_LOCAL_PORT": "0", "BASE_DOMAIN": settings.BASE_DOMAIN}
    with log.open("w") as stderr:
        process = subprocess.Popen(
            ["node", str(SERVER)], env=env, stdout=subprocess.PIPE, stderr=stderr, text=True
        )
    try:
        ready, _, _ = select.select([process.stdout], [], [], START_TIMEOUT)
        line = process.stdout.readline() if ready else ""
        if not line:
            raise RuntimeError(f"the local ProConnect did not start:\n{log.read_text()}")
        started = json.loads(line)
        yield LocalProConnect(issuer=started["issuer"], secret=started["secret"])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        process.stdout.close()
        log.unlink(missing_ok=True)


def press_button(client, **data):
    """Press the ProConnect button: returns the authorization URL the app redirects to."""
    response = client.post("/compte/proconnect/login/", data)
    assert response.status_code == 302, response.text
    return response["Location"]


def sign_in(client, provider, email, **data):
    """The whole flow as a person goes through it: the button, the provider's login page,
    back to the app's callback. Returns the callback's response."""
    callback = provider.browser().sign_in(press_button(client, **data), email)
    return client.get(app_path(callback))


@pytest.fixture
def proconnect(local_proconnect, settings):
    """ProConnect on, pointed at the local provider."""
    for name, value in local_proconnect.settings().items():
        setattr(settings, name, value)
    return local_proconnect
