"""Sending a signed delivery to an endpoint, never to this machine's network (SSRF).

The endpoint's name is resolved when connecting, every address it resolves to is checked,
and the connection goes to the address that was checked (a name that changes between the
check and the connection, DNS rebinding, gains nothing). Redirects are not followed and
the environment's proxies are ignored. Only loopback is let through, and only when
WEBHOOK_ALLOW_LOCALHOST is on (development, tests)."""

import ipaddress
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from standardwebhooks import Webhook as Signer
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection

from tenant_apps.webhooks.enums import EXCERPT_BYTES

LOCAL_NAMES = {"localhost", "localhost.localdomain"}


class RefusedAddress(Exception):
    """The endpoint is, or resolves to, an address of a private or internal network."""


def address_allowed(ip):
    ip = ipaddress.ip_address(ip)
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return settings.WEBHOOK_ALLOW_LOCALHOST
    return ip.is_global and not ip.is_multicast


def url_problem(url):
    """Why an endpoint's URL cannot be accepted (French, for the form), or None. Names
    are not resolved here: that happens at each connection."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.username or parts.password:
        return "L’adresse ne peut pas contenir d’identifiant ni de mot de passe."
    if not host:
        return "Saisissez une adresse complète, par exemple https://exemple.fr/webhooks."
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    local = host in LOCAL_NAMES or (literal is not None and literal.is_loopback)
    if local and settings.WEBHOOK_ALLOW_LOCALHOST:
        return (
            None if parts.scheme in ("http", "https") else "L’adresse doit commencer par https://."
        )
    if parts.scheme != "https":
        return "L’adresse doit commencer par https:// : les envois sont chiffrés."
    if local or host.endswith((".local", ".internal", ".localhost")):
        return "Cette adresse désigne un réseau interne : elle n’est pas joignable depuis Internet."
    if literal is not None and not address_allowed(literal):
        return "Cette adresse désigne un réseau privé ou interne : indiquez une adresse publique."
    return None


def checked_addresses(host, port):
    """Every address `host` resolves to, or RefusedAddress if any of them is not public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise RefusedAddress(f"nom introuvable ({host})") from error
    addresses = [info[4][0] for info in found]
    refused = [address for address in addresses if not address_allowed(address)]
    if refused:
        raise RefusedAddress(f"adresse privée ou interne refusée ({refused[0]})")
    return addresses


class GuardedConnectionMixin:
    def _new_conn(self):
        try:
            address = checked_addresses(self._dns_host, self.port)[0]
        except RefusedAddress as error:
            raise NewConnectionError(self, str(error)) from error
        try:
            return connection.create_connection(
                (address, self.port),
                self.timeout,
                source_address=self.source_address,
                socket_options=self.socket_options,
            )
        except TimeoutError as error:
            raise ConnectTimeoutError(self, f"délai de connexion dépassé ({self.host})") from error
        except OSError as error:
            raise NewConnectionError(self, f"connexion impossible : {error}") from error


class GuardedHTTPConnection(GuardedConnectionMixin, HTTPConnection):
    pass


class GuardedHTTPSConnection(GuardedConnectionMixin, HTTPSConnection):
    pass


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": GuardedHTTPConnectionPool,
            "https": GuardedHTTPSConnectionPool,
        }


def guarded_session():
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment
    session.mount("http://", GuardedAdapter())
    session.mount("https://", GuardedAdapter())
    session.headers["User-Agent"] = "BoursOloco-Webhooks/1"
    return session


def signed_headers(secret, message_id, payload, at=None):
    """The Standard Webhooks headers of one attempt (signed with its own timestamp)."""
    at = at or datetime.now(UTC)
    return {
        "Content-Type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Signer(secret).sign(message_id, at, payload),
    }


@dataclass
class Answer:
    at: datetime
    status_code: int | None
    duration_ms: int
    excerpt: str = ""
    error: str = ""

    @property
    def succeeded(self):
        return self.status_code is not None and 200 <= self.status_code < 300


def post(session, url, secret, message_id, payload):
    """One attempt: the endpoint's status, how long it took and the first bytes of its
    answer, or why it could not be reached."""
    at = datetime.now(UTC)
    headers = signed_headers(secret, message_id, payload, at)
    started = time.monotonic()
    timeout = settings.WEBHOOK_TIMEOUT
    try:
        with session.post(
            url,
            data=payload.encode(),
            headers=headers,
            timeout=(timeout, timeout),
            allow_redirects=False,
            stream=True,
        ) as response:
            excerpt = response.raw.read(EXCERPT_BYTES, decode_content=True) or b""
            return Answer(
                at,
                response.status_code,
                elapsed_ms(started),
                excerpt.decode(errors="replace"),
            )
    except requests.Timeout:
        error = f"pas de réponse en {timeout} s"
    except requests.ConnectionError as exception:
        error = connection_error(exception)
    except requests.RequestException as exception:
        error = f"{type(exception).__name__} : {exception}"
    return Answer(at, None, elapsed_ms(started), error=error[:300])


def elapsed_ms(started):
    return int((time.monotonic() - started) * 1000)


def connection_error(exception):
    """The innermost reason, in French when it is ours (refused address)."""
    reason = exception
    while reason.__cause__ is not None or reason.__context__ is not None:
        reason = reason.__cause__ or reason.__context__
        if isinstance(reason, RefusedAddress):
            return str(reason)
    text = str(exception.args[0] if exception.args else exception)
    if "Connection refused" in text:
        return "connexion refusée"
    return f"connexion impossible : {text}"
