"""Prove an email address with a 6-digit code kept (hashed) in the session, then get the
verified account of that address. Used by the towns' onboarding and partner registration."""

import hashlib
import hmac
import logging
import secrets
import time

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail

from shared_apps.accounts.models import User
from tenants.jobs import get_queue

logger = logging.getLogger(__name__)
CODE_SECONDS = 15 * 60
MAX_ATTEMPTS = 5


class CodeError(Exception):
    """The code is missing, wrong or expired; the message is for the person."""


def code_hash(code):
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def send_code(session, key, email, subject, body, **payload):
    """Email a fresh code to `email` and remember `payload` under session[key] until the
    code is checked. `body` holds `{code}`. Returns the code."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    session[key] = {
        **payload,
        "email": email,
        "code": code_hash(code),
        "expires": time.time() + CODE_SECONDS,
        "attempts": 0,
    }
    send_email(subject, body.format(code=code), [email])
    return code


def send_email(subject, body, recipients):
    """An email of the national site (no town, hence no town outbox), sent by a job."""
    arguments = (subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    try:
        get_queue("emails").enqueue(send_mail, *arguments)
    except Exception:  # noqa: BLE001 — Redis down: send it now rather than not at all
        logger.warning("File indisponible : courriel envoyé directement")
        send_mail(*arguments)


def pending(session, key):
    state = session.get(key)
    return state if isinstance(state, dict) and "code" in state else None


def check_code(session, key, code):
    """The payload saved by send_code once `code` matches; raises CodeError otherwise.
    The state stays in the session: the caller pops it once its work is done."""
    state = pending(session, key)
    if state is None:
        raise CodeError("Recommencez l’inscription : aucune demande en cours.")
    if time.time() > state["expires"]:
        session.pop(key, None)
        raise CodeError("Ce code a expiré : recommencez l’inscription pour en recevoir un autre.")
    if state["attempts"] >= MAX_ATTEMPTS:
        session.pop(key, None)
        raise CodeError("Trop d’essais : recommencez l’inscription pour recevoir un autre code.")
    if not hmac.compare_digest(state["code"], code_hash(code)):
        state["attempts"] += 1
        session[key] = state
        raise CodeError("Ce code n’est pas le bon : vérifiez le courriel reçu.")
    return state


def verified_user(email, first_name, last_name):
    """The account of an address a code just proved, or that a town's admin vouches for
    (created without a password: its owner signs in with a code sent by email)."""
    user, created = User.objects.get_or_create(
        email=email.lower(), defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_unusable_password()
        user.save()
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True}
    )
    address.verified = True
    address.save()
    return user
