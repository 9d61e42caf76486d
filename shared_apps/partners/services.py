"""Registration of a partner: one form, the email proved by a code, the organisation
joined if the directory already knows it (same SIRET or SIREN), never duplicated."""

from django.db import transaction
from django.db.models import Q

from shared_apps.accounts.models import User
from shared_apps.accounts.verification import (
    CodeError,
    check_code,
    send_code,
    send_email,
    verified_user,
)
from shared_apps.partners.models import Partner, PartnerMember
from shared_apps.referential.models import Commune
from tenants.enums import TerritoryKind
from tenants.models import Territory

SESSION_KEY = "partner_registration"
PERSON_FIELDS = ("first_name", "last_name", "email")


class RegistrationError(Exception):
    """Something the person must fix or redo; the message is for them."""


def start_registration(session, data):
    organisation = {name: data[name] for name in ("siret", "name", "kind", "address")}
    organisation |= {
        name: data[name]
        for name in ("postcode", "city", "website", "phone", "departments", "places")
    }
    return send_code(
        session,
        SESSION_KEY,
        data["email"],
        "Votre code pour rejoindre BoursOloco",
        "Bonjour,\n\nVoici votre code pour inscrire votre organisation sur BoursOloco : "
        "{code}\n\nIl est valable 15 minutes. Si vous n’avez rien demandé, ignorez ce "
        "message.\n\n— BoursOloco, Agence nationale de la cohésion des territoires\n",
        organisation=organisation,
        person={name: data[name] for name in PERSON_FIELDS},
    )


def complete_registration(session, code):
    """Check the code; create (or join) the organisation and the person's account.
    Returns (user, member, created) where created says the organisation is new. Joining
    an organisation already in the directory always waits for the approval of one of its
    members (the ANCT's when it has none), who are told by email: a SIRET is public."""
    try:
        state = check_code(session, SESSION_KEY, code)
    except CodeError as error:
        raise RegistrationError(str(error)) from None
    organisation, person = state["organisation"], state["person"]
    with transaction.atomic():
        user = verified_user(person["email"], person["first_name"], person["last_name"])
        member = PartnerMember.objects.filter(user=user).select_related("partner").first()
        created = False
        if not member:
            partner = Partner.objects.matching_siret(organisation["siret"])
            if partner is None:
                created = True
                partner = Partner.objects.create(
                    name=organisation["name"],
                    kind=organisation["kind"],
                    siret=organisation["siret"],
                    address=organisation["address"],
                    postcode=organisation["postcode"],
                    city=organisation["city"],
                    website=organisation["website"],
                    phone=organisation["phone"],
                    email=person["email"],
                    coverage_departments=organisation["departments"],
                )
                places = organisation.get("places") or {}
                partner.coverage_communes.set(places.get("communes", []))
                partner.coverage_epcis.set(places.get("epcis", []))
            member = PartnerMember.objects.create(user=user, partner=partner, is_approved=created)
            if not created:
                ask_members_to_approve(member)
    session.pop(SESSION_KEY, None)
    return user, member, created


def ask_members_to_approve(member):
    colleagues = [
        m.user.email
        for m in member.partner.members.approved().select_related("user")
        if m.user.is_active
    ]
    national = Territory.objects.get(schema_name="public")
    if not colleagues:
        # Nobody to vouch for them: the ANCT decides, from the console's directory.
        staff = User.objects.filter(is_anct_staff=True, is_active=True)
        colleagues, url = [u.email for u in staff], national.url("/console/partenaires/")
        if not colleagues:
            return
    else:
        url = national.url("/partenaires/")
    send_email(
        f"{member.user.get_full_name() or member.user.email} demande à rejoindre "
        f"{member.partner.name} sur BoursOloco",
        f"Bonjour,\n\n{member.user.get_full_name()} ({member.user.email}) demande à rejoindre "
        f"{member.partner.name} sur BoursOloco, pour recevoir ses alertes et gérer ses "
        f"locaux.\n\nAcceptez ou refusez sa demande ici : {url}\n\nSi vous ne connaissez pas "
        "cette personne, refusez.\n\n— BoursOloco\n",
        colleagues,
    )


def towns_covering(partner):
    """The towns on the platform where this partner says it has premises."""
    communes = Commune.objects.filter(
        Q(department__in=partner.coverage_departments)
        | Q(insee_code__in=partner.coverage_communes.values("pk"))
        | Q(epci__in=partner.coverage_epcis.values("pk"))
    )
    codes = communes.values("insee_code")
    epcis = communes.exclude(epci=None).values("epci_id")
    return (
        Territory.objects.reachable()
        .verified()
        .filter(
            Q(kind=TerritoryKind.COMMUNE, official_code__in=codes)
            | Q(kind=TerritoryKind.EPCI, official_code__in=epcis)
        )
        .order_by("name")
    )
