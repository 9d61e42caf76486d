"""Registration of a partner: one form, the email proved by a code, the organisation
joined if the directory already knows it (same SIRET or SIREN), never duplicated."""

from django.db import transaction
from django.db.models import Q

from shared_apps.accounts.verification import CodeError, check_code, send_code, verified_user
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
    Returns (user, partner, created) where created says the organisation is new."""
    try:
        state = check_code(session, SESSION_KEY, code)
    except CodeError as error:
        raise RegistrationError(str(error)) from None
    organisation, person = state["organisation"], state["person"]
    with transaction.atomic():
        user = verified_user(person["email"], person["first_name"], person["last_name"])
        member = PartnerMember.objects.filter(user=user).select_related("partner").first()
        created = False
        if member:
            partner = member.partner
        else:
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
            PartnerMember.objects.create(user=user, partner=partner)
    session.pop(SESSION_KEY, None)
    return user, partner, created


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
        .filter(
            Q(kind=TerritoryKind.COMMUNE, official_code__in=codes)
            | Q(kind=TerritoryKind.EPCI, official_code__in=epcis)
        )
        .order_by("name")
    )
