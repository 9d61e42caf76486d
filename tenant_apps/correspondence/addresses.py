"""The reply address of a demand: reponse+<token>@INBOUND_EMAIL_DOMAIN, where the token
names the town and the demand and carries an HMAC salted per town.

The token is base32, lowercase, without padding: mail servers may change the case of a
local part, and 29 characters fit well under the 64 a local part allows."""

import base64
import binascii
import hmac
import struct
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import salted_hmac

from tenants.models import Territory

LOCAL_PREFIX = "reponse+"
REPLY_SALT = "boursoloco.reponse"
MAC_BYTES = 10  # 80 bits: guessing one is hopeless, and each guess is logged


class UnknownAddress(Exception):
    """A recipient that is not a valid reply address; the message is for the logs."""


@dataclass(frozen=True)
class ReplyTarget:
    schema_name: str
    demand_id: int


def _mac(schema_name, territory_id, demand_id):
    # The salt is tenants.signing.town_salt(REPLY_SALT) of that town, spelt out: the
    # receiver checks a token before it enters any town's schema.
    salt = f"{REPLY_SALT}.{schema_name}"
    value = f"{territory_id}:{demand_id}"
    return salted_hmac(salt, value, algorithm="sha256").digest()[:MAC_BYTES]


def token_for(demand):
    """The token of `demand`, in the current town."""
    territory = Territory.objects.current()
    raw = struct.pack(">II", territory.pk, demand.pk)
    raw += _mac(territory.schema_name, territory.pk, demand.pk)
    return base64.b32encode(raw).decode().rstrip("=").lower()


def reply_address(demand):
    return f"{LOCAL_PREFIX}{token_for(demand)}@{settings.INBOUND_EMAIL_DOMAIN}"


def target_of(address):
    """The (town schema, demand id) a reply address names; raises UnknownAddress for any
    other address, a forged or truncated token, or a town that is gone. Whether the
    demand still exists is the caller's to check, inside the town."""
    local, _, domain = address.strip().strip("<>").rpartition("@")
    if domain.lower().rstrip(".") != settings.INBOUND_EMAIL_DOMAIN:
        raise UnknownAddress("autre domaine")
    local = local.lower()
    if not local.startswith(LOCAL_PREFIX):
        raise UnknownAddress("pas une adresse de réponse")
    token = local.removeprefix(LOCAL_PREFIX)
    if len(token) != 29:
        raise UnknownAddress("jeton de longueur inattendue")
    try:
        raw = base64.b32decode(token.upper() + "===")
    except (binascii.Error, ValueError):
        raise UnknownAddress("jeton illisible") from None
    if base64.b32encode(raw).decode().rstrip("=").lower() != token:
        # The last character carries a spare bit: only the one spelling is valid.
        raise UnknownAddress("jeton illisible")
    territory_id, demand_id = struct.unpack(">II", raw[:8])
    schema_name = (
        Territory.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME)
        .filter(pk=territory_id)
        .values_list("schema_name", flat=True)
        .first()
    )
    if schema_name is None:
        raise UnknownAddress("collectivité inconnue")
    if not hmac.compare_digest(raw[8:], _mac(schema_name, territory_id, demand_id)):
        raise UnknownAddress("signature invalide")
    return ReplyTarget(schema_name, demand_id)
