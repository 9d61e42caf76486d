"""Submitting a demand: the demand, its history and its emails, in one transaction."""

import secrets

from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Replace
from django.utils import timezone

from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import Membership
from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import Applicant, Demand, Introduction, ReferenceCounter
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.mailing.services import queue_email

DEMAND_FIELDS = {
    "projet": [
        "activity",
        "activity_category",
        "description",
        "stage",
        "siret",
        "opening_date",
    ],
    "local": [
        "premises_kind",
        "surface_min",
        "surface_max",
        "monthly_budget",
        "purchase_budget",
        "lease_kinds",
        "needs_shop_window",
        "needs_step_free_access",
        "other_needs",
    ],
    "accompagnement": ["support"],
    "contact": ["heard_from", "consent_to_share"],
}
APPLICANT_FIELDS = ["first_name", "last_name", "email", "phone"]


def demand_values(forms):
    values = {}
    for slug, names in DEMAND_FIELDS.items():
        form = forms.get(slug)
        if form is None:
            continue
        values.update(
            {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}
        )
    values["naf_code"] = forms["projet"].naf_code
    return values


@transaction.atomic
def submit_demand(territory, town_settings, forms):
    """Save the porteur's demand (or update the same one sent within a day) and queue
    the emails. Returns (demand, created)."""
    contact = forms["contact"].cleaned_data
    values = demand_values(forms)
    # One submission at a time per address: a double click makes one demand, not two.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(lower(%s)))", [contact["email"]])
    areas = forms["local"].cleaned_data.get("areas")
    # The advisory lock above already serialises this address's submissions.
    duplicate = Demand.objects.recent_duplicate_of(contact["email"], values["activity"])
    if duplicate:
        demand = duplicate
        for name, value in values.items():
            setattr(demand, name, value)
        demand.applicant_seen_at = timezone.now()
        demand.save()
        # The porteur's identity is not replaced: whoever knows an email and an activity
        # must not be able to rewrite someone else's contact details.
        applicant = demand.applicant
        event = demand.record(EventKind.RESUBMITTED)
    else:
        applicant = Applicant.objects.create(**{name: contact[name] for name in APPLICANT_FIELDS})
        now = timezone.now()
        demand = Demand.objects.create(
            # Numbered below, last; this placeholder never outlives the transaction.
            reference=f"~{secrets.token_hex(9)}",
            applicant=applicant,
            created_at=now,
            status_changed_at=now,
            applicant_seen_at=now,
            contact_search=applicant.search_text,
            **values,
        )
        event = demand.record(EventKind.SUBMITTED)
    if areas is not None:
        demand.areas.set(areas)
    demand.refresh_priority()
    notify_team = not duplicate and town_settings.notify_team_on_new_demand
    team = list(team_to_notify(territory)) if notify_team else []

    context = {
        "territory": territory,
        "demand": demand,
        "applicant": applicant,
        "updated": bool(duplicate),
        "followup_url": territory.url(demand.followup_path()),
        "privacy_url": territory.url("/donnees-personnelles/"),
        "contact_email": town_settings.contact_email,
    }
    emails = [
        queue_email(
            f"demand:{demand.pk}:event:{event.pk}:porteur",
            applicant.email,
            "demands/emails/confirmation.txt",
            context,
        )
    ]
    for member in team:
        email = queue_email(
            f"demand:{demand.pk}:new:{member.user_id}",
            member.user.email,
            "demands/emails/team_new_demand.txt",
            {
                **context,
                "backoffice_url": territory.url(f"/gestion/demandes/{demand.reference}/"),
            },
        )
        emails.append(email)
    if not duplicate:
        number(territory, demand, emails, now.year)
    return demand, not duplicate


def number(territory, demand, emails, year):
    """Give the new demand its reference, last: numbering locks the town's counter row
    until commit, which serialises all the town's submissions from there on. The emails
    were written with the placeholder reference; one UPDATE puts the real one in."""
    placeholder = demand.reference
    demand.reference = ReferenceCounter.next_reference(territory.reference_prefix, year)
    Demand.objects.filter(pk=demand.pk).update(reference=demand.reference)
    old, new = Value(placeholder), Value(demand.reference)
    OutboundEmail.objects.filter(pk__in=[email.pk for email in emails]).update(
        subject=Replace("subject", old, new), body=Replace("body", old, new)
    )


def team_to_notify(territory):
    return (
        Membership.objects.active()
        .filter(territory=territory, role__in=[Role.ADMIN, Role.AGENT], user__is_active=True)
        .select_related("user")
    )


@transaction.atomic
def send_new_links(territory, email):
    """Revoke the old follow-up links of this address's demands and email new ones.
    Says nothing about whether the address is known."""
    demands = Demand.objects.not_erased().filter(applicant__email__iexact=email.strip())
    for demand in demands.select_related("applicant"):
        demand.revoke_links()
        event = demand.record(EventKind.LINK_SENT)
        queue_email(
            f"demand:{demand.pk}:event:{event.pk}:link",
            demand.applicant.email,
            "demands/emails/new_link.txt",
            {
                "territory": territory,
                "demand": demand,
                "followup_url": territory.url(demand.followup_path()),
                "privacy_url": territory.url("/donnees-personnelles/"),
            },
        )


class IntroductionRefused(Exception):
    """An introduction the porteur's consent does not allow; the message is for people."""


@transaction.atomic
def introduce(territory, demand, partner, *, by, message=""):
    """Tell the partner about the porteur and the porteur about the partner — only if the
    porteur agreed to share their contact details."""
    if not demand.consent_to_share or demand.erased_at:
        raise IntroductionRefused(
            "Le porteur n’a pas accepté que ses coordonnées soient transmises aux partenaires : "
            "contactez-le d’abord pour lui demander son accord."
        )
    if not partner.email:
        raise IntroductionRefused(f"{partner.name} n’a pas d’adresse électronique dans l’annuaire.")
    introduction = Introduction.objects.create(
        demand=demand, partner=partner, message=message, created_by=by
    )
    if demand.first_contact_at is None:
        demand.first_contact_at = timezone.now()
        demand.save(update_fields=["first_contact_at", "updated_at"])
    event = demand.record(EventKind.INTRODUCED, partner.name, user=by)
    context = {
        "territory": territory,
        "demand": demand,
        "applicant": demand.applicant,
        "partner": partner,
        "message": message,
        "by": by,
        "followup_url": territory.url(demand.followup_path()),
        "privacy_url": territory.url("/donnees-personnelles/"),
    }
    queue_email(
        f"demand:{demand.pk}:event:{event.pk}:partner",
        partner.email,
        "demands/emails/introduction_partner.txt",
        context,
    )
    queue_email(
        f"demand:{demand.pk}:event:{event.pk}:porteur",
        demand.applicant.email,
        "demands/emails/introduction_porteur.txt",
        context,
    )
    return introduction
