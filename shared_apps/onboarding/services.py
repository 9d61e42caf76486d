"""The onboarding's steps: remember the choice, verify the email by code, open the space."""

from django.db import transaction

from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import Membership
from shared_apps.accounts.one_time import one_time_token, one_time_user
from shared_apps.accounts.verification import (
    CodeError,
    check_code,
    send_code,
    verified_user,
)
from shared_apps.accounts.verification import pending as pending_code
from shared_apps.referential.models import Commune, Epci
from tenants.enums import TerritoryKind, TerritoryStatus
from tenants.models import Territory
from tenants.provisioning import provision_territory

SESSION_KEY = "onboarding"
WELCOME_SALT = "boursoloco.bienvenue"


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


def start_verification(session, territory_fields, space):
    return send_code(
        session,
        SESSION_KEY,
        space["email"],
        "Votre code pour ouvrir l’espace BoursOloco",
        f"Bonjour,\n\nVoici votre code pour ouvrir l’espace de {territory_fields['name']} "
        "sur BoursOloco : {code}\n\nIl est valable 15 minutes. Si vous n’avez rien demandé, "
        "ignorez ce message.\n\n— BoursOloco, Agence nationale de la cohésion des territoires\n",
        territory=territory_fields,
        space=space,
    )


def pending(session):
    return pending_code(session, SESSION_KEY)


def open_space(session, code):
    """Check the code and create the town, its admin and membership. Returns (town, user)."""
    try:
        state = check_code(session, SESSION_KEY, code)
    except CodeError as error:
        raise OnboardingError(str(error)) from None
    fields, space = state["territory"], state["space"]
    if already_open(fields["siren"]):
        raise OnboardingError(f"{fields['name']} a déjà un espace sur BoursOloco.")
    if Territory.objects.filter(slug=space["slug"]).exists():
        raise OnboardingError("Cette adresse vient d’être prise : choisissez-en une autre.")
    town = provision_territory(slug=space["slug"], status=TerritoryStatus.PRE_OPENING, **fields)
    with transaction.atomic():
        user = verified_user(space["email"], space["first_name"], space["last_name"])
        Membership.objects.create(user=user, territory=town, role=Role.ADMIN)
    session.pop(SESSION_KEY, None)
    return town, user


def welcome_token(town, user):
    return one_time_token(town, user, salt=WELCOME_SALT)


def welcomed_user(request, token):
    """The new admin a welcome link signs in on their town's host."""
    user = one_time_user(request, token, salt=WELCOME_SALT)
    if user is None or user.membership_in(request.tenant) is None:
        return None
    return user
