"""The onboarding's steps: remember the choice, verify the email by code, open the space."""

import hashlib
import hmac
import logging
import secrets
import time

import django_rq
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction

from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import Membership, User
from shared_apps.referential.models import Commune, Epci
from tenants.enums import TerritoryKind, TerritoryStatus
from tenants.models import Territory
from tenants.provisioning import provision_territory

logger = logging.getLogger(__name__)
SESSION_KEY = "onboarding"
CODE_SECONDS = 15 * 60
MAX_ATTEMPTS = 5
WELCOME_SALT = "boursoloco.bienvenue"
WELCOME_SECONDS = 5 * 60


class OnboardingError(Exception):
    """Something the person must fix or redo; the message is for them."""


def describe(kind, code):
    """The chosen commune or EPCI as the fields of a Territory, or None."""
    if kind == "commune":
        commune = Commune.objects.filter(insee_code=code).first()
        if commune:
            return {
                "name": commune.name,
                "kind": TerritoryKind.COMMUNE,
                "official_code": commune.insee_code,
                "siren": commune.siren or None,
            }
    if kind == "epci":
        epci = Epci.objects.filter(siren=code).first()
        if epci:
            return {
                "name": epci.name,
                "kind": TerritoryKind.EPCI,
                "official_code": epci.siren,
                "siren": epci.siren,
            }
    return None


def already_open(siren):
    return bool(siren) and Territory.objects.filter(siren=siren).exists()


def code_hash(code):
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def start_verification(session, territory_fields, space):
    code = f"{secrets.randbelow(1_000_000):06d}"
    session[SESSION_KEY] = {
        "territory": territory_fields,
        "space": space,
        "code": code_hash(code),
        "expires": time.time() + CODE_SECONDS,
        "attempts": 0,
    }
    subject = "Votre code pour ouvrir l’espace BoursOloco"
    body = (
        f"Bonjour,\n\nVoici votre code pour ouvrir l’espace de {territory_fields['name']} "
        f"sur BoursOloco : {code}\n\nIl est valable 15 minutes. Si vous n’avez rien demandé, "
        "ignorez ce message.\n\n— BoursOloco, Agence nationale de la cohésion des territoires\n"
    )
    try:
        django_rq.get_queue("emails").enqueue(
            send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, [space["email"]]
        )
    except Exception:  # noqa: BLE001 — Redis down: send it now rather than not at all
        logger.warning("File indisponible : code d’inscription envoyé directement")
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [space["email"]])
    return code


def pending(session):
    state = session.get(SESSION_KEY)
    return state if isinstance(state, dict) and "code" in state else None


def open_space(session, code):
    """Check the code and create the town, its admin and membership. Returns (town, user)."""
    state = pending(session)
    if state is None:
        raise OnboardingError("Recommencez l’inscription : aucune demande en cours.")
    if time.time() > state["expires"]:
        session.pop(SESSION_KEY, None)
        raise OnboardingError(
            "Ce code a expiré : recommencez l’inscription pour en recevoir un autre."
        )
    if state["attempts"] >= MAX_ATTEMPTS:
        session.pop(SESSION_KEY, None)
        raise OnboardingError(
            "Trop d’essais : recommencez l’inscription pour recevoir un autre code."
        )
    if not hmac.compare_digest(state["code"], code_hash(code)):
        state["attempts"] += 1
        session[SESSION_KEY] = state
        raise OnboardingError("Ce code n’est pas le bon : vérifiez le courriel reçu.")
    fields, space = state["territory"], state["space"]
    if already_open(fields["siren"]):
        raise OnboardingError(f"{fields['name']} a déjà un espace sur BoursOloco.")
    if Territory.objects.filter(slug=space["slug"]).exists():
        raise OnboardingError("Cette adresse vient d’être prise : choisissez-en une autre.")
    town = provision_territory(slug=space["slug"], status=TerritoryStatus.PRE_OPENING, **fields)
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            email=space["email"].lower(),
            defaults={"first_name": space["first_name"], "last_name": space["last_name"]},
        )
        if created:
            user.set_unusable_password()
            user.save()
        address, _ = EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"primary": True}
        )
        address.verified = True  # the code just proved it
        address.save()
        Membership.objects.create(user=user, territory=town, role=Role.ADMIN)
    session.pop(SESSION_KEY, None)
    return town, user


def one_time_token(town, user, salt=WELCOME_SALT):
    payload = {"u": user.pk, "s": town.schema_name, "n": secrets.token_urlsafe(12)}
    return signing.dumps(payload, salt=salt)


def welcome_token(town, user):
    return one_time_token(town, user)


def one_time_user(request, token, salt=WELCOME_SALT):
    """The user a one-time link signs in on this town's host, once, within minutes."""
    try:
        payload = signing.loads(token, salt=salt, max_age=WELCOME_SECONDS)
    except signing.BadSignature:
        return None
    if payload.get("s") != request.tenant.schema_name:
        return None
    if not cache.add(f"one-time-used:{payload.get('n')}", 1, WELCOME_SECONDS * 2):
        return None  # already used
    return User.objects.filter(pk=payload.get("u"), is_active=True).first()


def welcomed_user(request, token):
    """The new admin a welcome link signs in on their town's host."""
    user = one_time_user(request, token)
    if user is None or user.membership_in(request.tenant) is None:
        return None
    return user
