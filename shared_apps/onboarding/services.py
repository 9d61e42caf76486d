"""The onboarding's steps and the claims they record: a town's space is created at once,
private, and opens when its claimant is verified (ProConnect SIRET of the territory, or
the ANCT); unverified claims expire."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import Membership, User
from shared_apps.accounts.one_time import one_time_token, one_time_user
from shared_apps.accounts.verification import (
    CodeError,
    check_code,
    send_code,
    send_email,
    verified_user,
)
from shared_apps.accounts.verification import pending as pending_code
from shared_apps.onboarding.enums import ClaimStatus
from shared_apps.onboarding.models import Claim
from shared_apps.onboarding.slugs import slug_choices
from shared_apps.referential.models import Commune, Epci
from tenants.enums import TerritoryKind, TerritoryStatus, TerritoryVerification
from tenants.models import Territory
from tenants.provisioning import provision_territory

logger = logging.getLogger(__name__)
SESSION_KEY = "onboarding"
WELCOME_SALT = "boursoloco.bienvenue"
TERRITORY_FIELDS = ("name", "kind", "official_code", "siren")


class OnboardingError(Exception):
    """Something the person must fix or redo; the message is for them."""


def describe(kind, code):
    """The chosen commune or EPCI as the fields of a Territory (and its département), or
    None."""
    if kind == "commune":
        commune = Commune.objects.filter(insee_code=code).first()
        if commune:
            return {
                "name": commune.name,
                "kind": TerritoryKind.COMMUNE,
                "official_code": commune.insee_code,
                "siren": commune.siren or None,
                "department": commune.department,
            }
    if kind == "epci":
        epci = Epci.objects.filter(siren=code).first()
        if epci:
            first_member = epci.members.order_by("-population").first()
            return {
                "name": epci.name,
                "kind": TerritoryKind.EPCI,
                "official_code": epci.siren,
                "siren": epci.siren,
                "department": first_member.department if first_member else "",
            }
    return None


def existing_space(fields):
    """The space already opened or asked for this commune or EPCI, or None."""
    return Territory.objects.filter(
        kind=fields["kind"], official_code=fields["official_code"]
    ).first()


def already_open(fields):
    """Whether the territory's space is taken: verified, or closed by the ANCT. An
    unverified space is not: another claimant may still ask for it."""
    space = existing_space(fields)
    return space is not None and (space.is_verified or space.status == TerritoryStatus.CLOSED)


def addresses_for(fields):
    return slug_choices(fields["name"], fields["kind"], fields.get("department", ""))


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
    """Check the emailed code, then claim the territory. Returns the claim."""
    try:
        state = check_code(session, SESSION_KEY, code)
    except CodeError as error:
        raise OnboardingError(str(error)) from None
    space = state["space"]
    user = verified_user(space["email"], space["first_name"], space["last_name"])
    claim = claim_territory(state["territory"], space.get("slug"), user)
    session.pop(SESSION_KEY, None)
    return claim


def claim_territory(fields, slug, user, proconnect=None):
    """Record `user`'s claim on the territory: the first claimant gets a private space
    (created at once, its admin); a later one waits beside them. A ProConnect SIRET of the
    territory verifies the claim at once; otherwise the ANCT is told."""
    if already_open(fields):
        raise OnboardingError(f"{fields['name']} a déjà un espace sur BoursOloco.")
    town = existing_space(fields)
    if town is None:
        if slug not in addresses_for(fields):
            raise OnboardingError("Cette adresse vient d’être prise : choisissez-en une autre.")
        try:
            town = provision_territory(
                slug=slug,
                status=TerritoryStatus.PRE_OPENING,
                verification=None,
                **{name: fields[name] for name in TERRITORY_FIELDS},
            )
        except IntegrityError:  # the same territory, claimed by someone else meanwhile
            raise OnboardingError(
                f"{fields['name']} vient d’être demandée par une autre personne : "
                "recommencez, votre demande sera examinée avec la sienne."
            ) from None
        Membership.objects.create(user=user, territory=town, role=Role.ADMIN)
    proconnect = proconnect or {}
    claim, _ = Claim.objects.get_or_create(
        territory=town,
        claimant=user,
        status=ClaimStatus.PENDING,
        defaults={
            "proconnect_siret": (proconnect.get("siret") or "")[:14],
            "proconnect_idp": (proconnect.get("idp_id") or "")[:120],
        },
    )
    if claim.siret_matches:
        verify(claim, TerritoryVerification.PROCONNECT)
    else:
        tell_anct(claim)
    return claim


def verify(claim, verification, *, by=None):
    """The claimant runs the space: it opens to the public. Other claims on it are
    refused; if the space's creator was one of them, everyone they brought in leaves."""
    with transaction.atomic():
        town = Territory.objects.select_for_update().get(pk=claim.territory_id)
        now = timezone.now()
        others = list(town.claims.pending().exclude(pk=claim.pk).select_related("claimant"))
        Claim.objects.filter(pk=claim.pk).update(
            status=ClaimStatus.VERIFIED, decided_at=now, decided_by=by, verification=verification
        )
        Claim.objects.filter(pk__in=[other.pk for other in others]).update(
            status=ClaimStatus.REJECTED,
            decided_at=now,
            decided_by=by,
            reason="Une autre personne a été vérifiée pour cette collectivité.",
        )
        refused = {other.claimant_id for other in others}
        if town.memberships.filter(user_id__in=refused).exists():
            town.memberships.exclude(user=claim.claimant).delete()
        Membership.objects.update_or_create(
            user=claim.claimant, territory=town, defaults={"role": Role.ADMIN, "is_active": True}
        )
        town.verify(verification, by=by)
    claim.refresh_from_db()
    send_email(
        f"L’espace de {town.name} est vérifié",
        f"Bonjour,\n\nVotre demande est vérifiée : l’espace de {town.name} sur BoursOloco est "
        f"désormais public, à l’adresse {town.url()}.\n\nVotre espace de gestion : "
        f"{town.url('/gestion/')}\n\n— BoursOloco, Agence nationale de la cohésion des "
        "territoires\n",
        [claim.claimant.email],
    )
    for other in others:
        tell_refused(other, "Une autre personne a été vérifiée pour cette collectivité.")
    return claim


def reject(claim, *, by, reason):
    """The ANCT refuses a claim; a space nobody else claims is deleted (nothing public
    was ever collected in it)."""
    with transaction.atomic():
        Claim.objects.filter(pk=claim.pk, status=ClaimStatus.PENDING).update(
            status=ClaimStatus.REJECTED, decided_at=timezone.now(), decided_by=by, reason=reason
        )
        Membership.objects.filter(user=claim.claimant, territory=claim.territory).delete()
    tell_refused(claim, reason)
    forget_if_unclaimed(claim.territory)


def tell_refused(claim, reason):
    send_email(
        f"Votre demande pour l’espace de {claim.territory.name}",
        f"Bonjour,\n\nVotre demande d’ouverture de l’espace de {claim.territory.name} sur "
        f"BoursOloco n’a pas été retenue. Motif : {reason}\n\nSi vous agissez bien pour "
        "cette collectivité, identifiez-vous avec ProConnect sur "
        f"{Territory.objects.get(schema_name='public').url('/inscription/')}, ou répondez à "
        "l’ANCT.\n\n— BoursOloco, Agence nationale de la cohésion des territoires\n",
        [claim.claimant.email],
    )


def forget_if_unclaimed(town):
    """Delete an unverified space that nobody claims any more (its schema with it)."""
    town.refresh_from_db()
    if not town.is_verified and not town.claims.pending().exists() and not town.invoices.exists():
        logger.info("Espace non vérifié supprimé : %s", town.schema_name)
        town.delete(force_drop=True)
        return True
    return False


def tell_anct(claim):
    staff = list(
        User.objects.filter(is_anct_staff=True, is_active=True).values_list("email", flat=True)
    )
    if not staff:
        return
    console = Territory.objects.get(schema_name="public").url("/console/demandes-d-ouverture/")
    send_email(
        f"Demande d’ouverture à vérifier : {claim.territory.name}",
        f"Bonjour,\n\n{claim.claimant.get_full_name()} ({claim.claimant.email}) demande à "
        f"ouvrir l’espace de {claim.territory.name}.\n\nVérifiez qu’elle agit pour la "
        f"collectivité, puis validez ou refusez sa demande : {console}\n\nSans décision, la "
        f"demande expire dans {settings.CLAIM_DAYS} jours.\n\n— BoursOloco\n",
        staff,
    )


def expire_claims():
    """Daily: warn claimants a week before their claim expires, then expire it; a space
    left without any claim is deleted. Returns (warned, expired)."""
    warned = 0
    for claim in Claim.objects.expiring().select_related("territory", "claimant"):
        if Claim.objects.filter(pk=claim.pk, warned_at=None).update(warned_at=timezone.now()):
            warned += 1
            send_email(
                f"Votre demande pour l’espace de {claim.territory.name} expire bientôt",
                f"Bonjour,\n\nVotre demande d’ouverture de l’espace de {claim.territory.name} "
                f"attend toujours sa vérification. Sans vérification, elle expirera le "
                f"{claim.expires_on:%d/%m/%Y} et l’espace sera supprimé.\n\nPour la faire "
                "vérifier aussitôt, identifiez-vous avec ProConnect avec le compte de votre "
                "collectivité sur "
                f"{Territory.objects.get(schema_name='public').url('/inscription/')}.\n\n"
                "— BoursOloco, Agence nationale de la cohésion des territoires\n",
                [claim.claimant.email],
            )
    expired = 0
    for claim in Claim.objects.expired().select_related("territory", "claimant"):
        with transaction.atomic():
            if not Claim.objects.filter(pk=claim.pk, status=ClaimStatus.PENDING).update(
                status=ClaimStatus.EXPIRED, decided_at=timezone.now()
            ):
                continue
            Membership.objects.filter(user=claim.claimant, territory=claim.territory).delete()
        expired += 1
        send_email(
            f"Votre demande pour l’espace de {claim.territory.name} a expiré",
            f"Bonjour,\n\nVotre demande d’ouverture de l’espace de {claim.territory.name} n’a "
            f"pas été vérifiée en {settings.CLAIM_DAYS} jours : elle a expiré. Vous pouvez "
            "en déposer une nouvelle.\n\n— BoursOloco\n",
            [claim.claimant.email],
        )
        if not claim.territory.is_verified:
            forget_if_unclaimed(claim.territory)
    return warned, expired


def welcome_token(town, user):
    return one_time_token(town, user, salt=WELCOME_SALT)


def welcomed_user(request, token):
    """The new admin a welcome link signs in on their town's host."""
    user = one_time_user(request, token, salt=WELCOME_SALT)
    if user is None or user.membership_in(request.tenant) is None:
        return None
    return user
