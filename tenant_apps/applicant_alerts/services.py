"""Porteurs' premises alerts: announcing a newly published premises to the subscribed
demands it fits (exactly once per premises and demand), and emailing porteurs — one
email a day at most each.

Why an immediate email with a daily cap rather than a daily digest only: a porteur hears
of the first premises that fits the moment it is published (a good premises does not
stay vacant long), and never gets more than one email a day; what is found after that
day's email waits for the next morning's run (`send_daily_alerts`), which gathers it in
one email. The cap is per demand (each demand has its own porteur record), recorded on
the subscription under a row lock, and backed by the outbox's unique key
`demand:<id>:premises-alerts:<day>`."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from shared_apps.referential.formats import french_number
from tenant_apps.applicant_alerts.models import (
    PremisesAlert,
    Publication,
    Subscription,
)
from tenant_apps.mailing.services import queue_emails, render_email
from tenant_apps.premises import matching
from tenant_apps.premises.models import Premises
from tenant_apps.townsite.models import TownSettings
from tenants.jobs import enqueue_for_town
from tenants.models import Territory

# Subscribing ------------------------------------------------------------------------


def subscribe_if_asked(demand, contact, new=False):
    """From the demand form's last step: the porteur's checkbox, if the form had it (a
    resubmission within the day replaces the earlier answer; a `new` demand has no
    subscription yet to look up)."""
    if "premises_alerts" not in contact:
        return
    if new:
        if contact["premises_alerts"]:
            Subscription.objects.create(demand=demand, is_active=True)
        return
    Subscription.switch(demand, contact["premises_alerts"])


# Announcing a premises ---------------------------------------------------------------


def request_announcement(premises):
    """Called inside the transaction that puts the premises in the catalogue."""
    Publication.objects.update_or_create(
        premises=premises, defaults={"requested_at": timezone.now(), "done_at": None}
    )
    enqueue_for_town(announce_premises, premises.pk)


# The subscribed open demands this premises fits, scored by the matching's own SELECT
# (tenant_apps.premises.matching), each pair written once: a pair already there (an
# earlier run, the premises published before) is skipped by the unique constraint.
ALERTS = """
    INSERT INTO {alerts} (demand_id, premises_id, score, created_at)
    SELECT demand_id, premises_id, score, now() FROM ({scored}) AS fitting
    WHERE score >= %(min_score)s
    ON CONFLICT (demand_id, premises_id) DO NOTHING
    RETURNING demand_id
"""
IN_CATALOGUE = "AND p.id = %(premises)s AND p.is_published"
SUBSCRIBED = (
    f"{matching.OF_ITS_KIND} AND od.erased_at IS NULL "
    "AND od.id IN (SELECT demand_id FROM {subscriptions} WHERE is_active)"
)


def write_alerts(premises_id, min_score):
    """[demand ids] newly alerted of this premises."""
    sql = ALERTS.format(
        alerts=PremisesAlert._meta.db_table,
        scored=matching.scored(
            IN_CATALOGUE, SUBSCRIBED.format(subscriptions=Subscription._meta.db_table)
        ),
    )
    values = matching.params(premises=premises_id, min_score=min_score, keep=matching.EVERYTHING)
    return [demand_id for (demand_id,) in matching.run(sql, values)]


def announce_premises(premises_id):
    """Alert every subscribed open demand the premises fits, once, and email their
    porteurs. All in one transaction, under a lock on the premises' Publication: a second
    run, a retry or a run after a killed worker finds either nothing done (and does it
    all) or everything done (and does nothing). Returns how many demands were alerted."""
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update()
            .filter(premises_id=premises_id, done_at__isnull=True)
            .first()
        )
        if publication is None:
            return 0
        demand_ids = write_alerts(premises_id, TownSettings.load().applicant_alert_min_score)
        publication.done_at = timezone.now()
        publication.alerted += len(demand_ids)
        publication.save(update_fields=["done_at", "alerted"])
        if demand_ids:
            send_alerts(demand_ids)
    return len(demand_ids)


def announce_pending():
    """Periodic catch-up: announcements whose job was lost (Redis down, worker killed)."""
    ids = Publication.objects.filter(
        done_at__isnull=True, requested_at__lt=timezone.now() - timedelta(minutes=1)
    ).values_list("premises_id", flat=True)
    return sum(announce_premises(premises_id) for premises_id in list(ids[:200]))


# Emailing porteurs --------------------------------------------------------------------


def email_key(demand, day):
    # Under the demand's own prefix: erasing the demand empties it (Demand.erase).
    return f"demand:{demand.pk}:premises-alerts:{day.isoformat()}"


def euros(amount):
    return f"{french_number(amount)} €"


def price(premises):
    if premises.monthly_rent:
        return f"{euros(premises.monthly_rent)} par mois"
    if premises.sale_price:
        return f"{euros(premises.sale_price)} à la vente"
    return "prix sur demande"


def describe(town, premises):
    """What an email says of a premises (the same for every porteur told of it)."""
    details = [price(premises)]
    if premises.get_lease_kind_display():
        details.append(premises.get_lease_kind_display())
    if premises.has_shop_window:
        details.append("vitrine")
    if premises.step_free_access:
        details.append("plain-pied")
    return {
        "title": f"{premises.get_kind_display()} de {premises.surface} m²",
        "where": premises.address + (f" ({premises.area.name})" if premises.area else ""),
        "details": " · ".join(details),
        "url": town.url(reverse("catalogue:detail", args=[premises.pk])),
    }


# What the email reads of a demand and its porteur (not the whole demand: its search
# vector and texts would be read for each of thousands of porteurs).
EMAILED_FIELDS = [
    "pk",
    "demand_id",
    "last_sent_on",
    "demand__reference",
    "demand__activity",
    "demand__followup_version",
    "demand__applicant__first_name",
    "demand__applicant__email",
]


def send_alerts(demand_ids=None):
    """Email each reachable porteur the premises found for them and not sent yet, unless
    they already had such an email today (then they wait for tomorrow's run). Runs in the
    caller's transaction, or its own; the subscriptions are locked in a fixed order, so
    two runs at once never email the same porteur twice in a day. Returns the emails
    queued."""
    town = Territory.objects.current()
    today = timezone.localdate()
    with transaction.atomic():
        waiting = PremisesAlert.objects.unsent().filter(demand_id=OuterRef("demand_id"))
        subscriptions = (
            Subscription.objects.reachable()
            .exclude(last_sent_on=today)
            .filter(Exists(waiting))
            .select_for_update(of=("self",))
            .select_related("demand__applicant")
            .only(*EMAILED_FIELDS)
            .order_by("pk")
        )
        if demand_ids is not None:
            subscriptions = subscriptions.filter(demand_id__in=demand_ids)
        subscriptions = {s.demand_id: s for s in subscriptions}
        alerts = (
            PremisesAlert.objects.unsent()
            .filter(demand_id__in=list(subscriptions))
            .filter(premises__in=Premises.objects.published())
            .order_by("demand_id", "-score", "premises_id")
            .values_list("pk", "demand_id", "premises_id", "score")
        )
        by_demand = {}
        for alert in alerts:
            by_demand.setdefault(alert[1], []).append(alert)
        # A fan-out is one premises for many porteurs: each is described once.
        found_premises = {premises_id for _, _, premises_id, _ in alerts}
        described = {
            premises.pk: describe(town, premises)
            for premises in Premises.objects.select_related("area").filter(pk__in=found_premises)
        }
        catalogue_url = town.url(reverse("catalogue:list"))
        drafts, sent = [], []
        for demand_id, found in by_demand.items():
            subscription = subscriptions[demand_id]
            demand = subscription.demand
            unsubscribe_url = subscription.unsubscribe_url(town)
            context = {
                "territory": town,
                "demand": demand,
                "items": [
                    {**described[premises_id], "score": score} for _, _, premises_id, score in found
                ],
                "catalogue_url": catalogue_url,
                "followup_url": town.url(demand.followup_path()),
                "unsubscribe_url": unsubscribe_url,
            }
            headers = {
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
            drafts.append(
                render_email(
                    email_key(demand, today),
                    demand.applicant.email,
                    "applicant_alerts/emails/alerts.txt",
                    context,
                    headers,
                )
            )
            sent += found
        now = timezone.now()
        PremisesAlert.objects.filter(pk__in=[pk for pk, *_ in sent]).update(sent_at=now)
        Subscription.objects.filter(demand_id__in=by_demand).update(last_sent_on=today)
        queue_emails(drafts)
    return len(drafts)


def drop_unsendable():
    """Alerts nobody will receive (the demand closed or slept, the porteur switched alerts
    off, the premises left the catalogue) are dropped: the porteur was never told, and
    would be if the premises were published again."""
    reachable = Subscription.objects.reachable().values("demand_id")
    return (
        PremisesAlert.objects.unsent()
        .exclude(demand_id__in=reachable, premises__in=Premises.objects.published())
        .delete()[0]
    )


def send_daily_alerts():
    """Every morning: what the daily cap held back, one email per porteur."""
    drop_unsendable()
    return send_alerts()
