"""Submitting a demand (the demand and its history, in one transaction), then announcing
it (its emails, in a job)."""

import logging
import secrets
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import Membership
from tenant_apps.applicant_alerts.services import subscribe_if_asked
from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import (
    Applicant,
    Demand,
    DemandEvent,
    Introduction,
    ReferenceCounter,
)
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.mailing.services import deliver_batch, queue_email
from tenant_apps.townsite.enums import AlertTrigger
from tenant_apps.townsite.models import TownSettings
from tenants.jobs import enqueue_for_town
from tenants.models import Territory

logger = logging.getLogger(__name__)

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


@transaction.atomic(savepoint=False)  # the form's own transaction: no SAVEPOINT round trips
def submit_demand(territory, forms):
    """Save the porteur's demand (or update the same one sent within a day): the request
    does only that. Its emails and priority follow in a job once it commits
    (announce_submission), or in the catch-up if Redis lost the job. Returns
    (demand, created)."""
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
        event = demand.record(EventKind.RESUBMITTED)
        if areas is not None:
            demand.areas.set(areas)
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
        # Through rows, without the m2m signal's second matching job: the one queued by
        # the demand's creation (premises.signals) runs after the commit and sees them.
        if areas:
            Demand.areas.through.objects.bulk_create(
                Demand.areas.through(demand=demand, area=area) for area in areas
            )
        ReferenceCounter.number(demand, territory.reference_prefix, now.year)
    subscribe_if_asked(demand, contact, new=not duplicate)
    enqueue_for_town(announce_submission, event.pk, queue="emails")
    return demand, not duplicate


def demand_email_context(territory, demand, **extra):
    """What every email about a demand names: the town, the demand, its porteur's private
    follow-up link and the town's privacy page."""
    return {
        "territory": territory,
        "demand": demand,
        "applicant": demand.applicant,
        "followup_url": territory.url(demand.followup_path()),
        "privacy_url": territory.url(reverse("townsite:privacy")),
        **extra,
    }


def porteur_email_key(demand_id, event_id):
    return f"demand:{demand_id}:event:{event_id}:porteur"


SUBMISSIONS = [EventKind.SUBMITTED, EventKind.RESUBMITTED]


def announce_submission(event_id):
    """What follows a submission once it committed: the demand's priority, the porteur's
    confirmation and, for a new demand, the team's emails and the partners' alert if the
    town alerts them on submission. Runs once: a second run (the catch-up racing a late
    job, a retried job) finds the porteur's email written and does nothing."""
    from tenant_apps.network.services import request_broadcast  # network imports demands

    event = DemandEvent.objects.filter(pk=event_id, kind__in=SUBMISSIONS).first()
    if event is None:
        return False
    territory = Territory.objects.current()
    town_settings = TownSettings.load()
    created = event.kind == EventKind.SUBMITTED
    key = porteur_email_key(event.demand_id, event.pk)
    emails = []
    with transaction.atomic():
        # Read under a lock: an erasure committed meanwhile wins, and of two runs at
        # once the second waits here, then finds the email.
        demand = (
            Demand.objects.not_erased()
            .select_for_update(of=("self",))
            .select_related("applicant")
            .filter(pk=event.demand_id)
            .first()
        )
        if demand is None or OutboundEmail.objects.filter(key=key).exists():
            return False
        demand.refresh_priority()
        duplicates = flag_duplicates(demand, created)
        context = demand_email_context(
            territory, demand, updated=not created, contact_email=town_settings.contact_email
        )
        porteur = queue_email(
            key, demand.applicant.email, "demands/emails/confirmation.txt", context, job=False
        )
        emails.append(porteur)
        if created and town_settings.notify_team_on_new_demand:
            context["backoffice_url"] = territory.url(
                reverse("backoffice:demand", args=[demand.reference])
            )
            # For the team only: the porteur never hears of another person's demand.
            context["duplicates"] = duplicates
            for member in team_to_notify(territory):
                team = queue_email(
                    f"demand:{demand.pk}:new:{member.user_id}",
                    member.user.email,
                    "demands/emails/team_new_demand.txt",
                    context,
                    job=False,
                )
                emails.append(team)
        if created and town_settings.alert_partners_on == AlertTrigger.SUBMITTED:
            request_broadcast(demand)
    # Sent here, over one connection, rather than by a job each; if this worker dies
    # first, the outbox's catch-up sends them (already sent ones are skipped).
    deliver_batch([email.pk for email in emails])
    return True


def flag_duplicates(demand, created):
    """Store the demand's "doublon probable" flag (and its duplicates'); a new demand's
    history tells the team which ones and why. Returns the duplicates."""
    duplicates = demand.refresh_duplicate_flag()
    if created and duplicates:
        which = "\n".join(
            f"{duplicate.reference} ({', '.join(duplicate.duplicate_reasons)})"
            for duplicate in duplicates
        )
        demand.record(
            EventKind.NOTE,
            f"Doublon probable :\n{which}",
            actor="système",
            visible_to_applicant=False,
        )
    return duplicates


CATCH_UP_BATCH = 200


def announce_pending(grace=timedelta(minutes=2), within=timedelta(days=7)):
    """Announce the submissions whose job was lost (Redis down, worker killed): porteurs'
    submissions of the last `within` without their email, once `grace` has passed (the
    demo's and imported histories are not porteurs' and were never to be announced)."""
    now = timezone.now()
    key = Concat(
        Value("demand:"), "demand_id", Value(":event:"), "pk", Value(":porteur"),
        output_field=CharField(),
    )  # fmt: skip
    pending = (
        DemandEvent.objects.filter(
            kind__in=SUBMISSIONS,
            actor="porteur",
            created_at__range=(now - within, now - grace),
            demand__erased_at__isnull=True,
        )
        .alias(key=key)
        .filter(~Exists(OutboundEmail.objects.filter(key=OuterRef("key"))))
        .order_by("created_at")
    )
    announced = 0
    for pk in pending.values_list("pk", flat=True)[:CATCH_UP_BATCH]:
        try:
            announced += announce_submission(pk)
        except Exception:  # one broken announcement must not hold back the town's others
            logger.exception("Annonce de la demande (événement %s) en échec", pk)
    return announced


def team_to_notify(territory):
    return (
        Membership.objects.active()
        .filter(territory=territory, role__in=[Role.ADMIN, Role.AGENT], user__is_active=True)
        .select_related("user")
    )


@transaction.atomic
def send_new_links(territory, email):
    """Revoke the old follow-up links of this address's demands and email new ones (for a
    demand merged into another, the other's link, to this address). Says nothing about
    whether the address is known."""
    email = email.strip()
    own = Demand.objects.not_erased().filter(applicant__email__iexact=email)
    recipients = {demand: demand.applicant.email for demand in own.select_related("applicant")}
    merged = Demand.all_objects.filter(
        applicant__email__iexact=email, merged_into__isnull=False, erased_at__isnull=True
    ).select_related("applicant", "merged_into__applicant")
    for tombstone in merged:
        if tombstone.merged_into.erased_at is None:
            recipients.setdefault(tombstone.merged_into, tombstone.applicant.email)
    for demand, to in recipients.items():
        demand.revoke_links()
        event = demand.record(EventKind.LINK_SENT)
        queue_email(
            f"demand:{demand.pk}:event:{event.pk}:link",
            to,
            "demands/emails/new_link.txt",
            demand_email_context(territory, demand),
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
    context = demand_email_context(territory, demand, partner=partner, message=message, by=by)
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
