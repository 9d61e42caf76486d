"""One-time sign-in links: a signed token that logs a user in on one town's host, once,
within minutes (the new admin's welcome, ANCT's read-only consultation). Each use has
its own salt, so that a link made for one purpose means nothing for another. A used
link's nonce is written to PostgreSQL (accounts.UsedLink, unique), so that single use
holds, and the link works, whether Redis is up or not."""

import secrets

from django.core import signing
from django.db import IntegrityError, transaction

from shared_apps.accounts.models import UsedLink, User

ONE_TIME_SECONDS = 5 * 60


def one_time_token(town, user, *, salt):
    payload = {"u": user.pk, "s": town.schema_name, "n": secrets.token_urlsafe(12)}
    return signing.dumps(payload, salt=salt)


def one_time_user(request, token, *, salt):
    """The user the link signs in on this town's host, or None: tampered, expired, made
    for another town or purpose, or already used."""
    try:
        payload = signing.loads(token, salt=salt, max_age=ONE_TIME_SECONDS)
    except signing.BadSignature:
        return None
    if payload.get("s") != request.tenant.schema_name or not payload.get("n"):
        return None
    try:
        with transaction.atomic():
            UsedLink.objects.create(nonce=str(payload["n"])[:32])
    except IntegrityError:
        return None  # already used
    return User.objects.filter(pk=payload.get("u"), is_active=True).first()


def forget_used_links():
    """The nonces of links that have expired anyway (run daily with the sessions' clean-up)."""
    deleted, _ = UsedLink.objects.older_than(ONE_TIME_SECONDS * 2).delete()
    return deleted
